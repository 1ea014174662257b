/** One way to write each kind of figure, for the CLI's tables and the HTML report alike. */

/** An ISO time as `2026-11-21 10:00:05` (UTC, to the second). */
export function formatUtcTime(iso: string): string {
  return iso.slice(0, 19).replace('T', ' ');
}

/** A count or a pixel figure: whole, with thousands separators (`12,000,000`); `–` when there is none. */
export function formatCount(value: number | null): string {
  return value === null ? '–' : Math.round(value).toLocaleString('en-US');
}

/** A ratio from 0 to 1 as a percentage with one decimal (`25.0%`), as the tables' `FG %` column. */
export function formatPercent(ratio: number | null): string {
  return ratio === null ? '–' : `${(ratio * 100).toFixed(1)}%`;
}

/** Milliseconds: whole from 10 ms up, one decimal below (`1,234`, `3.4`). */
export function formatMs(value: number | null): string {
  if (value === null) return '–';
  return Math.abs(value) >= 10 ? formatCount(value) : value.toFixed(1);
}

/** Pixels as megapixels with two decimals (`12.00 MP`). */
export function formatMegapixels(px: number | null): string {
  return px === null ? '–' : `${(px / 1_000_000).toFixed(2)} MP`;
}

/** A rate with at most one decimal (`12.5`, `3`). */
export function formatRatePerMinute(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}

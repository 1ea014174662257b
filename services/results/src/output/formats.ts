/** One way to write each kind of figure, for the CLI's tables and the HTML report alike. */

/** An ISO time as `2026-11-21 10:00:05` (UTC, to the second). */
export function formatUtcTime(iso: string): string {
  return iso.slice(0, 19).replace('T', ' ');
}

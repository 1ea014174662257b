import type { AreaBin } from './area-histogram.ts';
import { escapeHtml } from './html-escape.ts';

const layout = { width: 720, height: 280, left: 48, right: 16, top: 24, bottom: 48 } as const;

/**
 * The area distribution as an inline SVG bar chart: no script, no fonts or files to fetch. Each bar is a
 * `rect.bar` carrying its bin and count, so a test (or a person with devtools) can check it.
 */
export function areaBarChartSvg(bins: readonly AreaBin[]): string {
  const plotWidth = layout.width - layout.left - layout.right;
  const plotHeight = layout.height - layout.top - layout.bottom;
  const maxCount = Math.max(1, ...bins.map((bin) => bin.count));
  const slot = plotWidth / Math.max(1, bins.length);
  const barWidth = Math.max(4, slot * 0.7);
  const baseline = layout.top + plotHeight;

  const ticks = niceTicks(maxCount)
    .map((tick) => {
      const y = baseline - (tick / maxCount) * plotHeight;
      return `<line x1="${layout.left}" x2="${layout.width - layout.right}" y1="${y.toFixed(1)}" y2="${y.toFixed(1)}" class="grid"/><text x="${layout.left - 6}" y="${(y + 4).toFixed(1)}" text-anchor="end" class="tick">${tick}</text>`;
    })
    .join('');

  const bars = bins
    .map((bin, index) => {
      const height = (bin.count / maxCount) * plotHeight;
      const x = layout.left + index * slot + (slot - barWidth) / 2;
      const y = baseline - height;
      const centre = (x + barWidth / 2).toFixed(1);
      const label = escapeHtml(bin.label);
      return [
        `<rect class="bar" data-bin="${label}" data-count="${bin.count}" x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${barWidth.toFixed(1)}" height="${height.toFixed(1)}"><title>${label}: ${bin.count} image(s)</title></rect>`,
        bin.count > 0
          ? `<text x="${centre}" y="${(y - 4).toFixed(1)}" text-anchor="middle" class="count">${bin.count}</text>`
          : '',
        `<text x="${centre}" y="${baseline + 18}" text-anchor="middle" class="label">${label}</text>`,
      ].join('');
    })
    .join('');

  return [
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" aria-label="Area distribution of processed images" viewBox="0 0 ${layout.width} ${layout.height}" width="${layout.width}" height="${layout.height}">`,
    ticks,
    `<line x1="${layout.left}" x2="${layout.width - layout.right}" y1="${baseline}" y2="${baseline}" class="axis"/>`,
    bars,
    `<text x="${layout.left + plotWidth / 2}" y="${layout.height - 8}" text-anchor="middle" class="axis-title">image area (megapixels, after EXIF orientation)</text>`,
    '</svg>',
  ].join('');
}

/** Up to five round tick values from 0 to max. */
function niceTicks(max: number): number[] {
  const step = Math.max(1, Math.ceil(max / 4));
  const ticks: number[] = [];
  for (let tick = 0; tick <= max; tick += step) ticks.push(tick);
  return ticks;
}

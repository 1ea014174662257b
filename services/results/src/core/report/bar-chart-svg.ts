import { escapeHtml } from './html-escape.ts';

/** One bar: its label on the x axis and its value. */
export interface ChartBin {
  readonly label: string;
  readonly value: number;
}

export interface BarChartOptions {
  /** The class that names the chart (`area`, `foreground`, `throughput`), for styles and tests. */
  readonly name: string;
  readonly ariaLabel: string;
  readonly axisTitle: string;
  /** What a bar's value counts, for its tooltip: `image(s)`, `rows per minute`. */
  readonly unit: string;
}

const layout = { width: 720, height: 280, left: 48, right: 16, top: 24, bottom: 48 } as const;
/** At most this many x-axis labels and value labels, so many bars (a timeline) stay readable. */
const maxLabels = 12;

/**
 * A bar chart as inline SVG: no script, no fonts or files to fetch. Each bar is a `rect.bar` carrying its
 * bin and value, so a test (or a person with devtools) can check it.
 */
export function barChartSvg(bins: readonly ChartBin[], options: BarChartOptions): string {
  const plotWidth = layout.width - layout.left - layout.right;
  const plotHeight = layout.height - layout.top - layout.bottom;
  const maxValue = Math.max(1, ...bins.map((bin) => bin.value));
  const slot = plotWidth / Math.max(1, bins.length);
  const barWidth = Math.min(56, Math.max(1, slot * 0.7));
  const baseline = layout.top + plotHeight;
  const labelEvery = Math.ceil(bins.length / maxLabels);

  const ticks = niceTicks(maxValue)
    .map((tick) => {
      const y = baseline - (tick / maxValue) * plotHeight;
      return `<line x1="${layout.left}" x2="${layout.width - layout.right}" y1="${y.toFixed(1)}" y2="${y.toFixed(1)}" class="grid"/><text x="${layout.left - 6}" y="${(y + 4).toFixed(1)}" text-anchor="end" class="tick">${tick}</text>`;
    })
    .join('');

  const bars = bins
    .map((bin, index) => {
      const height = (bin.value / maxValue) * plotHeight;
      const x = layout.left + index * slot + (slot - barWidth) / 2;
      const y = baseline - height;
      const centre = (x + barWidth / 2).toFixed(1);
      const label = escapeHtml(bin.label);
      const value = escapeHtml(valueText(bin.value));
      return [
        `<rect class="bar" data-bin="${label}" data-count="${bin.value}" x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${barWidth.toFixed(1)}" height="${height.toFixed(1)}"><title>${label}: ${value} ${escapeHtml(options.unit)}</title></rect>`,
        bin.value > 0 && labelEvery === 1
          ? `<text x="${centre}" y="${(y - 4).toFixed(1)}" text-anchor="middle" class="count">${value}</text>`
          : '',
        index % labelEvery === 0
          ? `<text x="${centre}" y="${baseline + 18}" text-anchor="middle" class="label">${label}</text>`
          : '',
      ].join('');
    })
    .join('');

  return [
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart ${escapeHtml(options.name)}" role="img" aria-label="${escapeHtml(options.ariaLabel)}" viewBox="0 0 ${layout.width} ${layout.height}" width="${layout.width}" height="${layout.height}">`,
    ticks,
    `<line x1="${layout.left}" x2="${layout.width - layout.right}" y1="${baseline}" y2="${baseline}" class="axis"/>`,
    bars,
    `<text x="${layout.left + plotWidth / 2}" y="${layout.height - 8}" text-anchor="middle" class="axis-title">${escapeHtml(options.axisTitle)}</text>`,
    '</svg>',
  ].join('');
}

function valueText(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}

/** Up to five round tick values from 0 to max. */
function niceTicks(max: number): number[] {
  const step = Math.max(1, Math.ceil(max / 4));
  const ticks: number[] = [];
  for (let tick = 0; tick <= max; tick += step) ticks.push(tick);
  return ticks;
}

import type { ResultRow } from '@photo-pipeline/shared/contracts';
import {
  formatCount,
  formatMegapixels,
  formatMs,
  formatPercent,
  formatRatePerMinute,
  formatUtcTime,
} from '../format/formats.ts';
import type { ImageThumbnails } from '../results-ports.ts';
import { barChartSvg } from './bar-chart-svg.ts';
import { escapeHtml } from './html-escape.ts';
import { imageTableHtml } from './image-table.ts';
import { reportStyles } from './report-styles.ts';
import type { Distribution } from './statistics.ts';
import type { ReportSummary } from './summary.ts';

export interface HtmlReportInput {
  /** What the report covers, as a heading: `Batch holiday`, `Uploads 2026-11-21 00:00 – …`. */
  readonly title: string;
  readonly summary: ReportSummary;
  /** Every row of the scope, in upload order: every one gets a line in the image table. */
  readonly rows: readonly ResultRow[];
  readonly thumbnails: ReadonlyMap<string, ImageThumbnails>;
  /** Where each image's full-size processed image opens from this copy of the page (by image id). */
  readonly fullSizeLinks: ReadonlyMap<string, string>;
}

export const foregroundDefinition =
  'Foreground ratio: the share of an image’s pixels that the model’s mask counts as foreground (foreground pixels ÷ width × height).';

/**
 * A self-contained HTML page: styles inline, thumbnails as data URIs, charts as inline SVG, no script. A
 * Content-Security-Policy forbids every fetch, so opening it never touches the network (links to
 * full-size images are navigations a person chooses).
 */
export function renderHtmlReport(input: HtmlReportInput): string {
  const { summary } = input;
  const pictured = input.rows.filter((row) => input.thumbnails.has(row.imageId)).length;
  const timeline = summary.throughput;
  const perMinute = timeline.binMinutes === 1 ? 'minute' : `${timeline.binMinutes} minutes`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(input.title)} · photo-pipeline report</title>
<style>${reportStyles}</style>
</head>
<body>
<header>
<p class="kicker">photo-pipeline report</p>
<h1>${escapeHtml(input.title)}</h1>
<p class="meta">${metaLine(summary)}</p>
</header>
<section class="cards">
${card('Images', summary.counts.total, 'total')}
${card('Succeeded', summary.counts.SUCCEEDED, 'succeeded')}
${card('Failed', summary.counts.FAILED, 'failed')}
${card('Retried', summary.retried, 'retried')}
</section>
<section>
<h2>Foreground ratio</h2>
<p class="definition">${escapeHtml(foregroundDefinition)}</p>
<p class="note">Succeeded images: median ${formatPercent(summary.foregroundRatio.p50)}, p90 ${formatPercent(summary.foregroundRatio.p90)}, min ${formatPercent(summary.foregroundRatio.min)}, max ${formatPercent(summary.foregroundRatio.max)}.</p>
<div class="charts"><figure>${barChartSvg(
    summary.foregroundRatioHistogram.map((bin) => ({ label: bin.label, value: bin.count })),
    {
      name: 'foreground',
      ariaLabel: 'Foreground ratio distribution of processed images',
      axisTitle: 'foreground ratio (share of the image’s pixels)',
      unit: 'image(s)',
    },
  )}</figure></div>
</section>
<section>
<h2>Area and throughput</h2>
<div class="charts">
<figure><figcaption>Area distribution</figcaption>
${barChartSvg(
  summary.area.histogram.map((bin) => ({ label: bin.label, value: bin.count })),
  {
    name: 'area',
    ariaLabel: 'Area distribution of processed images',
    axisTitle: 'image area (megapixels, after EXIF orientation)',
    unit: 'image(s)',
  },
)}
<p class="note">Succeeded images by width × height after EXIF orientation. Median ${formatMegapixels(summary.area.px.p50)} (${formatCount(summary.area.px.p50)} px).</p></figure>
<figure><figcaption>Throughput</figcaption>
${barChartSvg(
  timeline.bins.map((bin) => ({ label: timeLabel(bin.start, timeline.bins), value: bin.rowsPerMinute })),
  {
    name: 'throughput',
    ariaLabel: 'Results written per minute',
    axisTitle: `results per minute (UTC, one bar per ${perMinute})`,
    unit: 'results per minute',
  },
)}
<p class="note">Result rows written per minute (by the time each result was written), averaged over each ${perMinute}; peak ${formatRatePerMinute(Math.max(0, ...timeline.bins.map((bin) => bin.rowsPerMinute)))} per minute.</p></figure>
</div>
</section>
${batchesSection(summary)}
<section>
<h2>Processing time</h2>
${distributionTable([
  ['Processing (per image)', summary.processingMs],
  ['· download', summary.stagesMs.downloadMs],
  ['· decode', summary.stagesMs.decodeMs],
  ['· inference', summary.stagesMs.inferenceMs],
  ['· encode', summary.stagesMs.encodeMs],
  ['· upload', summary.stagesMs.uploadMs],
  ['Upload to result', summary.uploadToResultMs],
])}
<p class="note">Milliseconds; percentiles by nearest rank. Execution providers: ${escapeHtml(providersText(summary.executionProviders))}.</p>
</section>
<section>
<h2>Failures</h2>
${failuresTable(summary)}
</section>
<section>
<h2>Images</h2>
<p class="note">Every image, in upload order; ▲ ▼ in a heading sort by that column. Before (original) and after (processed) thumbnails for ${formatCount(pictured)} of ${formatCount(input.rows.length)} image(s)${pictured < input.rows.length ? ' (REPORT_MAX_THUMBNAILS; failures first)' : ''}; “full size” opens the processed image. For a mask model, its foreground mask is a third picture.</p>
${imageTableHtml({
  rows: input.rows,
  thumbnails: input.thumbnails,
  fullSizeLinks: input.fullSizeLinks,
  showBatch: summary.scope.kind === 'range',
})}
</section>
</body>
</html>
`;
}

function metaLine(summary: ReportSummary): string {
  const parts = [`generated ${formatUtcTime(summary.generatedAt)} UTC`];
  if (summary.firstUploadedAt) parts.push(`first upload ${formatUtcTime(summary.firstUploadedAt)} UTC`);
  if (summary.lastProcessedAt) parts.push(`last result ${formatUtcTime(summary.lastProcessedAt)} UTC`);
  return escapeHtml(parts.join(' · '));
}

function card(label: string, value: number, kind: string): string {
  return `<div class="card ${kind}"><div class="value">${formatCount(value)}</div><div class="label">${escapeHtml(label)}</div></div>`;
}

function batchesSection(summary: ReportSummary): string {
  if (summary.scope.kind !== 'range') return '';
  const body = summary.batches
    .map(
      (batch) =>
        `<tr><td><code>${escapeHtml(batch.batchId)}</code></td>${[
          formatCount(batch.counts.total),
          formatCount(batch.counts.SUCCEEDED),
          formatCount(batch.counts.FAILED),
          formatPercent(batch.foregroundRatioP50),
          formatMs(batch.processingMsP50),
        ]
          .map((value) => `<td class="n">${value}</td>`)
          .join(
            '',
          )}<td>${escapeHtml(formatUtcTime(batch.firstUploadedAt))}</td><td>${escapeHtml(formatUtcTime(batch.lastProcessedAt))}</td></tr>`,
    )
    .join('');
  return `<section>
<h2>Batches</h2>
<p class="note">${formatCount(summary.batches.length)} batch(es) with uploads in the range, earliest first; counts cover their images in the range. Times in UTC.</p>
<table class="batches"><thead><tr><th>Batch</th><th class="n">Images</th><th class="n">Succeeded</th><th class="n">Failed</th><th class="n">Median foreground</th><th class="n">Median ms</th><th>First upload</th><th>Last result</th></tr></thead><tbody>${body}</tbody></table>
</section>`;
}

function distributionTable(rows: readonly (readonly [string, Distribution])[]): string {
  const head = ['', 'count', 'min', 'p50', 'p90', 'p95', 'p99', 'max', 'mean'];
  const body = rows
    .map(
      ([label, d]) =>
        `<tr><th scope="row">${escapeHtml(label)}</th><td>${formatCount(d.count)}</td>${[
          d.min,
          d.p50,
          d.p90,
          d.p95,
          d.p99,
          d.max,
          d.mean,
        ]
          .map((value) => `<td>${formatMs(value)}</td>`)
          .join('')}</tr>`,
    )
    .join('');
  return `<table class="numbers"><thead><tr>${head.map((h) => `<th>${h}</th>`).join('')}</tr></thead><tbody>${body}</tbody></table>`;
}

function failuresTable(summary: ReportSummary): string {
  if (summary.failureCodes.length === 0) return '<p class="note">No failures.</p>';
  const body = summary.failureCodes
    .map(
      (failure) =>
        `<tr><td><code>${escapeHtml(failure.code)}</code></td><td class="n">${formatCount(failure.count)}</td><td>${escapeHtml(failure.summary)}</td></tr>`,
    )
    .join('');
  return `<table><thead><tr><th>Code</th><th>Images</th><th>Meaning</th></tr></thead><tbody>${body}</tbody></table>`;
}

/** `10:05` within one UTC day, `11-21 10:05` across days. */
function timeLabel(iso: string, bins: readonly { readonly start: string }[]): string {
  const oneDay = bins[0]?.start.slice(0, 10) === bins.at(-1)?.start.slice(0, 10);
  return oneDay ? iso.slice(11, 16) : `${iso.slice(5, 10)} ${iso.slice(11, 16)}`;
}

function providersText(providers: Readonly<Record<string, number>>): string {
  const entries = Object.entries(providers);
  return entries.length === 0
    ? 'none recorded'
    : entries.map(([name, count]) => `${name} ${formatCount(count)}`).join(', ');
}

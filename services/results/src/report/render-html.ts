import type { ResultRow } from '@photo-pipeline/shared/contracts';
import { s3Uri } from '@photo-pipeline/shared/result-table';
import { areaBarChartSvg } from './bar-chart-svg.ts';
import { escapeHtml } from './html-escape.ts';
import type { Distribution } from './statistics.ts';
import type { ReportSummary } from './summary.ts';
import type { ImageThumbnails, Thumbnail } from './thumbnails.ts';

export interface HtmlReportInput {
  readonly title: string;
  readonly summary: ReportSummary;
  /** Every row of the scope, in order; those with thumbnails are pictured. */
  readonly rows: readonly ResultRow[];
  readonly thumbnails: ReadonlyMap<string, ImageThumbnails>;
}

/**
 * A self-contained HTML page: styles inline, thumbnails as data URIs, the chart as inline SVG. A
 * Content-Security-Policy forbids every fetch, so opening it never touches the network.
 */
export function renderHtmlReport(input: HtmlReportInput): string {
  const { summary } = input;
  const pictured = input.rows.filter((row) => input.thumbnails.has(row.imageId));
  const notPictured = input.rows.length - pictured.length;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(input.title)}</title>
<style>${styles}</style>
</head>
<body>
<header>
<h1>${escapeHtml(input.title)}</h1>
<p class="meta">Generated ${escapeHtml(summary.generatedAt)}${summary.firstUploadedAt ? ` · first upload ${escapeHtml(summary.firstUploadedAt)}` : ''}${summary.lastProcessedAt ? ` · last result ${escapeHtml(summary.lastProcessedAt)}` : ''}</p>
</header>
<section class="cards">
${card('Images', summary.counts.total, 'total')}
${card('Succeeded', summary.counts.SUCCEEDED, 'succeeded')}
${card('Failed', summary.counts.FAILED, 'failed')}
${card('Retried', summary.retried, 'retried')}
</section>
<section>
<h2>Area distribution</h2>
<p class="note">Succeeded images by area (width × height after EXIF orientation). Median ${formatNumber(summary.area.px.p50)} px.</p>
${areaBarChartSvg(summary.area.histogram)}
</section>
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
<p class="note">Before (original) and after (processed) thumbnails${notPictured > 0 ? `; ${notPictured} more image(s) are listed in images.csv but not pictured` : ''}.</p>
<div class="grid">
${pictured.map((row) => imageCard(row, input.thumbnails.get(row.imageId))).join('\n')}
</div>
</section>
</body>
</html>
`;
}

function card(label: string, value: number, kind: string): string {
  return `<div class="card ${kind}"><div class="value">${value}</div><div class="label">${escapeHtml(label)}</div></div>`;
}

function distributionTable(rows: readonly (readonly [string, Distribution])[]): string {
  const head = ['', 'count', 'min', 'p50', 'p90', 'p95', 'p99', 'max', 'mean'];
  const body = rows
    .map(
      ([label, d]) =>
        `<tr><th scope="row">${escapeHtml(label)}</th>${[
          d.count,
          d.min,
          d.p50,
          d.p90,
          d.p95,
          d.p99,
          d.max,
          d.mean,
        ]
          .map((value) => `<td>${formatNumber(value)}</td>`)
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
        `<tr><td><code>${escapeHtml(failure.code)}</code></td><td class="n">${failure.count}</td><td>${escapeHtml(failure.summary)}</td></tr>`,
    )
    .join('');
  return `<table><thead><tr><th>Code</th><th>Images</th><th>Meaning</th></tr></thead><tbody>${body}</tbody></table>`;
}

function imageCard(row: ResultRow, thumbnails: ImageThumbnails | undefined): string {
  const details =
    row.status === 'SUCCEEDED'
      ? `${row.width}×${row.height} · foreground ${(row.foregroundRatio * 100).toFixed(1)}% · ${Math.round(row.timings.totalMs)} ms`
      : `<code>${escapeHtml(row.errorCode)}</code> ${escapeHtml(row.errorMessage)}`;
  const after =
    row.status === 'SUCCEEDED'
      ? thumbnailHtml(thumbnails?.after, 'after', `processed ${row.originalName}`)
      : '<div class="thumb missing">no output</div>';
  const link = row.status === 'SUCCEEDED' ? `<div class="where">${escapeHtml(s3Uri(row.output))}</div>` : '';
  return `<figure class="image ${row.status.toLowerCase()}" data-image-id="${escapeHtml(row.imageId)}">
<div class="pair">${thumbnailHtml(thumbnails?.before, 'before', `original ${row.originalName}`)}${after}</div>
<figcaption><span class="status">${row.status}</span> <span class="name">${escapeHtml(row.originalName || row.imageId)}</span>
<div class="id">${escapeHtml(row.imageId)}</div><div class="details">${details}</div>${link}</figcaption>
</figure>`;
}

function thumbnailHtml(thumbnail: Thumbnail | undefined, kind: 'before' | 'after', alt: string): string {
  if (!thumbnail) return `<div class="thumb missing ${kind}">no thumbnail</div>`;
  if ('missing' in thumbnail)
    return `<div class="thumb missing ${kind}">${escapeHtml(thumbnail.missing)}</div>`;
  return `<img class="thumb ${kind}" src="${thumbnail.dataUri}" width="${thumbnail.width}" height="${thumbnail.height}" alt="${escapeHtml(alt)}" title="${kind === 'before' ? 'before' : 'after'}">`;
}

function formatNumber(value: number | null): string {
  if (value === null) return '–';
  return Number.isInteger(value)
    ? value.toLocaleString('en-US')
    : value.toLocaleString('en-US', { maximumFractionDigits: 3 });
}

function providersText(providers: Readonly<Record<string, number>>): string {
  const entries = Object.entries(providers);
  return entries.length === 0
    ? 'none recorded'
    : entries.map(([name, count]) => `${name} ${count}`).join(', ');
}

const styles = `
:root { color-scheme: light; --ok: #1a7f37; --bad: #cf222e; --muted: #57606a; --line: #d0d7de; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0 auto; max-width: 1100px; padding: 24px; color: #1f2328; background: #fff; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 17px; margin: 28px 0 8px; }
.meta, .note { color: var(--muted); margin: 4px 0 8px; }
.cards { display: flex; gap: 12px; flex-wrap: wrap; margin-top: 16px; }
.card { border: 1px solid var(--line); border-radius: 8px; padding: 10px 16px; min-width: 120px; }
.card .value { font-size: 26px; font-weight: 600; } .card .label { color: var(--muted); }
.card.succeeded .value { color: var(--ok); } .card.failed .value { color: var(--bad); }
table { border-collapse: collapse; margin: 4px 0; } th, td { border-bottom: 1px solid var(--line); padding: 4px 10px; text-align: left; }
table.numbers td, td.n { text-align: right; font-variant-numeric: tabular-nums; }
.chart { max-width: 100%; height: auto; border: 1px solid var(--line); border-radius: 8px; }
.chart .bar { fill: #0969da; } .chart .grid { stroke: #eaeef2; } .chart .axis { stroke: #8c959f; }
.chart text { font: 11px system-ui, sans-serif; fill: #1f2328; } .chart .tick, .chart .axis-title { fill: var(--muted); }
.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(340px, 1fr)); gap: 12px; }
figure.image { margin: 0; border: 1px solid var(--line); border-radius: 8px; padding: 8px; }
figure.image.failed { border-color: #ffcecb; background: #fff8f8; }
.pair { display: flex; gap: 8px; align-items: center; justify-content: center; min-height: 120px; }
.thumb { max-width: 160px; height: auto; border-radius: 4px; background: #f6f8fa; }
.thumb.missing { width: 150px; height: 110px; display: flex; align-items: center; justify-content: center; text-align: center; color: var(--muted); border: 1px dashed var(--line); font-size: 12px; padding: 6px; }
figcaption { margin-top: 6px; overflow-wrap: anywhere; }
.status { font-weight: 600; font-size: 12px; } .succeeded .status { color: var(--ok); } .failed .status { color: var(--bad); }
.id, .where { color: var(--muted); font-size: 12px; font-family: ui-monospace, monospace; }
`;

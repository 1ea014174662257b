import type { ResultsConfig } from '@photo-pipeline/shared/config';
import type { ResultRow } from '@photo-pipeline/shared/contracts';
import type { ResultsStore } from '@photo-pipeline/shared/results-store';
import { toCsv } from '../format/csv.ts';
import { csvCells, csvHeader } from '../format/result-fields.ts';
import { type Progress, silentProgress, type ThumbnailMaker } from '../results-ports.ts';
import { pickPictured } from './pictured-rows.ts';
import { renderHtmlReport } from './render-html.ts';
import { compactTime, describeScope, type ReportScope, reportTitle, scopeSlug } from './report-scope.ts';
import { type ReportSummary, summarize } from './summary.ts';
import { summaryCsv } from './summary-csv.ts';

/** What building a report reads: the result rows, the thumbnails' objects, the report settings. */
export interface ReportDeps {
  readonly store: Pick<ResultsStore, 'batchPages' | 'uploadedBetweenPages'>;
  readonly thumbnails: ThumbnailMaker;
  readonly config: Pick<ResultsConfig, 'REPORT_MAX_THUMBNAILS' | 'REPORT_THUMBNAIL_PX'>;
}

export interface BuildReportOptions {
  readonly progress?: Progress;
  /** When the report is made; also names its folder. */
  readonly now?: Date;
  /** Defaults from REPORT_MAX_THUMBNAILS and REPORT_THUMBNAIL_PX. */
  readonly maxThumbnails?: number;
  readonly thumbnailPx?: number;
}

/** The files of a report, by name, ready to write to S3 and to disk. */
export interface ReportFiles {
  readonly 'summary.json': string;
  readonly 'summary.csv': string;
  readonly 'images.csv': string;
  readonly 'report.html': string;
}

export interface BuiltReport {
  readonly scope: ReportScope;
  readonly summary: ReportSummary;
  readonly rows: readonly ResultRow[];
  /** `<scope>/<time>`: the report's folder under the reports prefix and the local output folder. */
  readonly name: string;
  /** report.html without links to full-size images; writeReport renders the S3 and local copies with them. */
  readonly files: ReportFiles;
  /** The HTML page with these full-size links (image id -> href). */
  renderHtml(fullSizeLinks: ReadonlyMap<string, string>): string;
}

/**
 * Reads every row of the scope (page by page), computes the summary, makes before/after thumbnails
 * of the first images, and renders the HTML. Writes nothing; see writeReport.
 */
export async function buildReport(
  deps: ReportDeps,
  scope: ReportScope,
  options: BuildReportOptions = {},
): Promise<BuiltReport> {
  const progress = options.progress ?? silentProgress;
  const now = options.now ?? new Date();
  const rows = await readRows(deps, scope, progress);
  const summary = summarize(rows, scope, now);

  const maxThumbnails = options.maxThumbnails ?? deps.config.REPORT_MAX_THUMBNAILS;
  const thumbnails = await deps.thumbnails.thumbnailsOf(pickPictured(rows, maxThumbnails), {
    sizePx: options.thumbnailPx ?? deps.config.REPORT_THUMBNAIL_PX,
    progress,
  });
  progress.done();

  const renderHtml = (fullSizeLinks: ReadonlyMap<string, string>) =>
    renderHtmlReport({ title: reportTitle(scope), summary, rows, thumbnails, fullSizeLinks });
  return {
    scope,
    summary,
    rows,
    name: `${scopeSlug(scope)}/${compactTime(now)}`,
    files: {
      'summary.json': `${JSON.stringify(summary, null, 2)}\n`,
      'summary.csv': summaryCsv(summary),
      'images.csv': toCsv(csvHeader, rows.map(csvCells)),
      'report.html': renderHtml(new Map()),
    },
    renderHtml,
  };
}

async function readRows(
  deps: Pick<ReportDeps, 'store'>,
  scope: ReportScope,
  progress: Progress,
): Promise<ResultRow[]> {
  const pages =
    scope.kind === 'batch'
      ? deps.store.batchPages(scope.batchId)
      : deps.store.uploadedBetweenPages({
          since: scope.since,
          until: scope.until,
          status: scope.status,
          order: 'oldest',
        });
  const rows: ResultRow[] = [];
  for await (const page of pages) {
    rows.push(...page.rows);
    progress.update(`reading ${describeScope(scope)}: ${rows.length} rows`);
  }
  return rows;
}

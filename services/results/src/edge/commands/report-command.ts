import { PermanentError } from '@photo-pipeline/shared/errors';
import { writeReport } from '../../adapters/write-report.ts';
import { formatPercent } from '../../core/format/formats.ts';
import { buildReport } from '../../core/report/build-report.ts';
import type { ReportScope } from '../../core/report/report-scope.ts';
import { describeScope } from '../../core/report/report-scope.ts';
import type { Distribution } from '../../core/report/statistics.ts';
import type { ReportSummary } from '../../core/report/summary.ts';
import type { ResultsDeps } from '../../entry/results-deps.ts';
import { type OutputOptions, outputFormatOf, toJson } from '../output/output-format.ts';
import { streamProgress } from '../output/progress.ts';
import { type CommandIo, exitCodes } from './command-io.ts';
import { parseBatchId, parsePositiveInteger, parseStatus, parseTimeRange } from './parse-args.ts';

export interface ReportOptions extends OutputOptions {
  readonly since?: string;
  readonly until?: string;
  readonly status?: string;
  readonly outputDir?: string;
  readonly maxThumbnails?: string;
}

/**
 * `report <batchId | --since ...>`: summary statistics to S3 (JSON, CSV) and stdout, and the HTML
 * report to S3 and a local folder whose path is printed. Exit 3 when the scope has no rows.
 */
export async function reportCommand(
  deps: ResultsDeps,
  io: CommandIo,
  batchIdArg: string | undefined,
  options: ReportOptions,
): Promise<number> {
  const format = outputFormatOf(options);
  const scope = scopeOf(batchIdArg, options, io.now());
  const maxThumbnails =
    options.maxThumbnails === '0' ? 0 : parsePositiveInteger('--max-thumbnails', options.maxThumbnails, 1000);
  const progress = streamProgress(io.stderr);

  const report = await buildReport(deps, scope, {
    progress,
    now: io.now(),
    ...(maxThumbnails === undefined ? {} : { maxThumbnails }),
  });
  if (report.rows.length === 0) {
    io.stderr.write(
      `no results for ${describeScope(scope)}: nothing to report (images may still be pending)\n`,
    );
    return exitCodes.notFoundOrPending;
  }
  const written = await writeReport(
    deps,
    report,
    options.outputDir === undefined ? { progress } : { progress, outputDir: options.outputDir },
  );
  if (written.localImages && written.localImages.failed > 0) {
    io.stderr.write(
      `${written.localImages.failed} full-size image(s) could not be downloaded beside the local report; their rows have no "full size" link (results fetch says why)\n`,
    );
  }

  const htmlLine = `HTML report: ${written.localHtmlPath ?? `${written.s3['report.html']} (no local copy)`}\n`;
  if (format === 'json') {
    io.stdout.write(
      toJson({
        summary: report.summary,
        files: {
          s3: written.s3,
          localDir: written.localDir ?? null,
          localHtmlPath: written.localHtmlPath ?? null,
        },
      }),
    );
    io.stderr.write(htmlLine);
  } else if (format === 'csv') {
    io.stdout.write(report.files['summary.csv']);
    io.stderr.write(htmlLine);
  } else {
    io.stdout.write(summaryText(report.summary, describeScope(scope)));
    io.stdout.write(`written    ${Object.values(written.s3).join('\n           ')}\n`);
    io.stdout.write(htmlLine);
  }
  return exitCodes.ok;
}

function scopeOf(batchIdArg: string | undefined, options: ReportOptions, now: Date): ReportScope {
  const byTime = options.since !== undefined || options.until !== undefined || options.status !== undefined;
  if (batchIdArg !== undefined && byTime) {
    throw new PermanentError(
      'INVALID_ARGUMENT',
      'give either a batch id or --since/--until/--status, not both',
    );
  }
  if (batchIdArg !== undefined) return { kind: 'batch', batchId: parseBatchId(batchIdArg) };
  if (options.since === undefined) {
    throw new PermanentError(
      'INVALID_ARGUMENT',
      'report needs a batch id or --since (e.g. `report <batchId>` or `report --since 24h`)',
    );
  }
  const { since, until } = parseTimeRange(options.since, options.until, now, options.since);
  return { kind: 'range', since, until, status: parseStatus(options.status) };
}

function summaryText(summary: ReportSummary, scope: string): string {
  const ms = (d: Distribution) =>
    d.count === 0
      ? 'no data'
      : `p50 ${fmt(d.p50)} · p90 ${fmt(d.p90)} · p99 ${fmt(d.p99)} · max ${fmt(d.max)} ms (n=${d.count})`;
  const failures =
    summary.failureCodes.map((failure) => `${failure.code} ${failure.count}`).join(', ') || 'none';
  const histogram = summary.area.histogram
    .filter((bin) => bin.count > 0)
    .map((bin) => `${bin.label} ${bin.count}`)
    .join(' | ');
  return [
    `report     ${scope}`,
    `images     ${summary.counts.total} (SUCCEEDED ${summary.counts.SUCCEEDED}, FAILED ${summary.counts.FAILED}, retried ${summary.retried})`,
    `failures   ${failures}`,
    `area       ${histogram || 'no succeeded images'}`,
    `foreground ${summary.foregroundRatio.count === 0 ? 'no succeeded images' : `p50 ${formatPercent(summary.foregroundRatio.p50)} · p90 ${formatPercent(summary.foregroundRatio.p90)} · min ${formatPercent(summary.foregroundRatio.min)} · max ${formatPercent(summary.foregroundRatio.max)}`}`,
    `processing ${ms(summary.processingMs)}`,
    `upload→result ${ms(summary.uploadToResultMs)}`,
    '',
  ].join('\n');
}

function fmt(value: number | null): string {
  return value === null ? '–' : String(Math.round(value));
}

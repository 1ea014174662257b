import type { ResultRow, StageTimings } from '@photo-pipeline/shared/contracts';
import { errorCatalogue, isErrorCode } from '@photo-pipeline/shared/errors';
import { type AreaBin, areaHistogram } from './area-histogram.ts';
import { type BatchBreakdown, batchBreakdown } from './batch-breakdown.ts';
import { type ForegroundBin, foregroundHistogram } from './foreground-histogram.ts';
import { type ReportScope, type ReportScopeJson, scopeJson } from './report-scope.ts';
import { type Distribution, distributionOf } from './statistics.ts';
import { type ThroughputTimeline, throughputTimeline } from './throughput-timeline.ts';

export interface FailureCodeCount {
  readonly code: string;
  readonly count: number;
  /** What the code means, from the error catalogue. */
  readonly summary: string;
}

const stageNames = ['downloadMs', 'decodeMs', 'inferenceMs', 'encodeMs', 'uploadMs'] as const;
type StageName = (typeof stageNames)[number];

/** The report's statistics; written as summary.json (this shape) and summary.csv. */
export interface ReportSummary {
  readonly schemaVersion: 1;
  readonly scope: ReportScopeJson;
  readonly generatedAt: string;
  readonly counts: { readonly total: number; readonly SUCCEEDED: number; readonly FAILED: number };
  /** Most frequent first. */
  readonly failureCodes: readonly FailureCodeCount[];
  readonly area: {
    /** Over SUCCEEDED images: width x height after EXIF orientation. */
    readonly px: Distribution;
    readonly histogram: readonly AreaBin[];
  };
  /** Over SUCCEEDED images: foregroundPx / areaPx, the share of pixels the model's mask counts as foreground. */
  readonly foregroundRatio: Distribution;
  readonly foregroundRatioHistogram: readonly ForegroundBin[];
  /** Result rows written per minute over the scope's span (by processedAt). */
  readonly throughput: ThroughputTimeline;
  /** Time-range reports: each batch in the range (its rows in the range); empty for a batch report. */
  readonly batches: readonly BatchBreakdown[];
  /** Processing time of one image (row timings.totalMs), every row. */
  readonly processingMs: Distribution;
  readonly stagesMs: Readonly<Record<StageName, Distribution>>;
  /** From uploadedAt to processedAt: queueing plus processing. */
  readonly uploadToResultMs: Distribution;
  readonly executionProviders: Readonly<Record<string, number>>;
  /** Rows that took more than one delivery. */
  readonly retried: number;
  readonly firstUploadedAt: string | null;
  readonly lastProcessedAt: string | null;
}

export function summarize(rows: readonly ResultRow[], scope: ReportScope, generatedAt: Date): ReportSummary {
  const succeeded = rows.flatMap((row) => (row.status === 'SUCCEEDED' ? [row] : []));
  const failed = rows.flatMap((row) => (row.status === 'FAILED' ? [row] : []));

  const failureCounts = new Map<string, number>();
  for (const row of failed) failureCounts.set(row.errorCode, (failureCounts.get(row.errorCode) ?? 0) + 1);
  const failureCodes = [...failureCounts]
    .map(([code, count]) => ({ code, count, summary: isErrorCode(code) ? errorCatalogue[code].summary : '' }))
    .sort((a, b) => b.count - a.count || a.code.localeCompare(b.code));

  const providers: Record<string, number> = {};
  for (const row of rows) {
    if (row.executionProvider) providers[row.executionProvider] = (providers[row.executionProvider] ?? 0) + 1;
  }

  const stage = (name: StageName) => distributionOf(rows.flatMap((row) => stageValue(row.timings, name)));
  const times = (pick: (row: ResultRow) => string) => rows.map(pick).sort();

  return {
    schemaVersion: 1,
    scope: scopeJson(scope),
    generatedAt: generatedAt.toISOString(),
    counts: { total: rows.length, SUCCEEDED: succeeded.length, FAILED: failed.length },
    failureCodes,
    area: {
      px: distributionOf(succeeded.map((row) => row.areaPx)),
      histogram: areaHistogram(succeeded.map((row) => row.areaPx)),
    },
    foregroundRatio: distributionOf(succeeded.map((row) => row.foregroundRatio)),
    foregroundRatioHistogram: foregroundHistogram(succeeded.map((row) => row.foregroundRatio)),
    throughput: throughputTimeline(rows.map((row) => row.processedAt)),
    batches: scope.kind === 'range' ? batchBreakdown(rows) : [],
    processingMs: distributionOf(rows.map((row) => row.timings.totalMs)),
    stagesMs: {
      downloadMs: stage('downloadMs'),
      decodeMs: stage('decodeMs'),
      inferenceMs: stage('inferenceMs'),
      encodeMs: stage('encodeMs'),
      uploadMs: stage('uploadMs'),
    },
    uploadToResultMs: distributionOf(
      rows.map((row) => Date.parse(row.processedAt) - Date.parse(row.uploadedAt)),
    ),
    executionProviders: providers,
    retried: rows.filter((row) => row.attempts > 1).length,
    firstUploadedAt: times((row) => row.uploadedAt)[0] ?? null,
    lastProcessedAt: times((row) => row.processedAt).at(-1) ?? null,
  };
}

function stageValue(timings: StageTimings, name: StageName): number[] {
  const value = timings[name];
  return value === undefined ? [] : [value];
}

import type { ResultRow } from '@photo-pipeline/shared/contracts';
import { distributionOf } from './statistics.ts';

/** One batch of a time-range report: its rows in the range, counted and summarised. */
export interface BatchBreakdown {
  readonly batchId: string;
  readonly counts: { readonly total: number; readonly SUCCEEDED: number; readonly FAILED: number };
  readonly firstUploadedAt: string;
  readonly lastProcessedAt: string;
  /** Median foreground ratio of its SUCCEEDED rows; null when none succeeded. */
  readonly foregroundRatioP50: number | null;
  /** Median processing time per image (timings.totalMs). */
  readonly processingMsP50: number | null;
}

/** The rows grouped by batch, the batch with the earliest upload first. */
export function batchBreakdown(rows: readonly ResultRow[]): BatchBreakdown[] {
  const byBatch = new Map<string, ResultRow[]>();
  for (const row of rows) {
    const batchRows = byBatch.get(row.batchId);
    if (batchRows) batchRows.push(row);
    else byBatch.set(row.batchId, [row]);
  }
  return [...byBatch]
    .map(([batchId, batchRows]) => {
      const succeeded = batchRows.flatMap((row) => (row.status === 'SUCCEEDED' ? [row] : []));
      return {
        batchId,
        counts: {
          total: batchRows.length,
          SUCCEEDED: succeeded.length,
          FAILED: batchRows.length - succeeded.length,
        },
        firstUploadedAt: batchRows.map((row) => row.uploadedAt).sort()[0] ?? '',
        lastProcessedAt:
          batchRows
            .map((row) => row.processedAt)
            .sort()
            .at(-1) ?? '',
        foregroundRatioP50: distributionOf(succeeded.map((row) => row.foregroundRatio)).p50,
        processingMsP50: distributionOf(batchRows.map((row) => row.timings.totalMs)).p50,
      };
    })
    .sort((a, b) => a.firstUploadedAt.localeCompare(b.firstUploadedAt) || a.batchId.localeCompare(b.batchId));
}

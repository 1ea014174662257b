import pLimit from 'p-limit';
import type { AwsClients } from '../aws/aws-clients.ts';
import type { BatchId } from '../contracts/ids.ts';
import { failedRowSchema, imageStatusSchema } from '../contracts/result-row.ts';
import { PermanentError } from '../errors/app-error.ts';
import { resultsTableKeys } from '../resources/results-table.ts';
import type { StoredKey } from './page-cursor.ts';
import { parseStoredItem } from './parse-row.ts';
import { queryItems } from './query-items.ts';
import type { QuerySettings } from './result-queries.ts';
import { imageIdBounds, uploadDaysBetween } from './upload-time-range.ts';

/** One batch: its rows counted by status, and when its images were uploaded and last processed. */
export interface BatchSummary {
  readonly batchId: BatchId;
  /** Rows of the whole batch (also those uploaded outside the range it was found in); PENDING images have none. */
  readonly counts: { readonly total: number; readonly SUCCEEDED: number; readonly FAILED: number };
  readonly firstUploadedAt: string;
  readonly lastUploadedAt: string;
  readonly lastProcessedAt: string;
}

export interface ListBatchesOptions {
  /** Batches with an upload at or after this time... */
  readonly since: Date;
  /** ...and before this one. */
  readonly until: Date;
  /** At most this many batches: those with the latest uploads in the range. */
  readonly limit: number;
  /**
   * Rows of the upload-day index read at most while looking for batches (unbounded by default): a page
   * shown on every visit sets it, so one huge batch cannot make each visit read all its rows.
   */
  readonly maxRowsScanned?: number;
}

export interface BatchList {
  /** Latest upload first. */
  readonly batches: readonly BatchSummary[];
  /** True when more batches had uploads in the range than `limit`. */
  readonly more: boolean;
}

const maxBatches = 1000;
/** Batches counted at once, each one query (page by page) on the batch index. */
const countConcurrency = 4;

const batchOfRowSchema = failedRowSchema.pick({ batchId: true });
const countedRowSchema = failedRowSchema
  .pick({ imageId: true, uploadedAt: true, processedAt: true })
  .extend({ status: imageStatusSchema.extract(['SUCCEEDED', 'FAILED']) });

/**
 * The batches with uploads in [since, until), latest first. The table has no list of batches, so the
 * upload-day index is walked newest first (image ids are ULIDs), reading only batch ids, until
 * `limit` + 1 batches are seen (the first time a batch appears is its latest upload in the range) or
 * `maxRowsScanned` rows were read; then each batch is counted whole through the batch index, reading
 * only status and times.
 */
export async function listBatches(
  clients: AwsClients,
  settings: QuerySettings,
  options: ListBatchesOptions,
): Promise<BatchList> {
  if (!Number.isInteger(options.limit) || options.limit < 1 || options.limit > maxBatches) {
    throw new PermanentError(
      'INVALID_ARGUMENT',
      `the batch limit must be a whole number from 1 to ${maxBatches}`,
    );
  }
  if (!(options.since.getTime() < options.until.getTime())) {
    throw new PermanentError('INVALID_ARGUMENT', 'the time range is empty: since must be before until');
  }
  const found = await latestBatchIds(clients, settings.table, options);
  const limit = pLimit(countConcurrency);
  const batches = await Promise.all(
    found.slice(0, options.limit).map((batchId) => limit(() => countBatch(clients, settings.table, batchId))),
  );
  return {
    batches: batches.sort((a, b) => b.lastUploadedAt.localeCompare(a.lastUploadedAt)),
    more: found.length > options.limit,
  };
}

async function latestBatchIds(
  clients: AwsClients,
  table: string,
  options: ListBatchesOptions,
): Promise<BatchId[]> {
  const index = resultsTableKeys.uploadDayIndex;
  const { low, high } = imageIdBounds(options.since, options.until);
  const maxRows = options.maxRowsScanned ?? Number.POSITIVE_INFINITY;
  const seen = new Set<BatchId>();
  let scanned = 0;
  for (const day of uploadDaysBetween(options.since, options.until, 'newest')) {
    let startKey: StoredKey | undefined;
    do {
      const page = await queryItems(clients, table, `listing batches uploaded on ${day}`, {
        IndexName: index.name,
        KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :low AND :high',
        ProjectionExpression: '#batch',
        ExpressionAttributeNames: { '#pk': index.partitionKey, '#sk': index.sortKey, '#batch': 'batchId' },
        ExpressionAttributeValues: { ':pk': day, ':low': low, ':high': high },
        ScanIndexForward: false,
        ...(Number.isFinite(maxRows) ? { Limit: Math.min(1000, maxRows - scanned) } : {}),
        ExclusiveStartKey: startKey,
      });
      for (const item of page.items) {
        seen.add(parseStoredItem(batchOfRowSchema, item).batchId);
        if (seen.size > options.limit) return [...seen];
      }
      scanned += page.items.length;
      if (scanned >= maxRows) return [...seen];
      startKey = page.lastKey;
    } while (startKey);
  }
  return [...seen];
}

async function countBatch(clients: AwsClients, table: string, batchId: BatchId): Promise<BatchSummary> {
  const index = resultsTableKeys.batchIndex;
  const counts = { total: 0, SUCCEEDED: 0, FAILED: 0 };
  let firstUploadedAt = '';
  let lastUploadedAt = '';
  let lastProcessedAt = '';
  let startKey: StoredKey | undefined;
  do {
    const page = await queryItems(clients, table, `counting batch ${batchId}`, {
      IndexName: index.name,
      KeyConditionExpression: '#pk = :pk',
      ProjectionExpression: 'imageId, #status, uploadedAt, processedAt',
      ExpressionAttributeNames: { '#pk': index.partitionKey, '#status': 'status' },
      ExpressionAttributeValues: { ':pk': batchId },
      ExclusiveStartKey: startKey,
    });
    for (const item of page.items) {
      const row = parseStoredItem(countedRowSchema, item);
      counts.total += 1;
      counts[row.status] += 1;
      if (firstUploadedAt === '' || row.uploadedAt < firstUploadedAt) firstUploadedAt = row.uploadedAt;
      if (row.uploadedAt > lastUploadedAt) lastUploadedAt = row.uploadedAt;
      if (row.processedAt > lastProcessedAt) lastProcessedAt = row.processedAt;
    }
    startKey = page.lastKey;
  } while (startKey);
  return { batchId, counts, firstUploadedAt, lastUploadedAt, lastProcessedAt };
}

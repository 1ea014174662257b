import type { AwsClients } from '../aws/aws-clients.ts';
import type { BatchId } from '../contracts/ids.ts';
import { failedRowSchema, imageStatusSchema } from '../contracts/result-row.ts';
import { PermanentError } from '../errors/app-error.ts';
import { resultsTableKeys } from '../resources/results-table.ts';
import type { StoredKey } from './page-cursor.ts';
import { parseStoredItem } from './parse-row.ts';
import { queryItems } from './query-items.ts';
import { imageIdBounds, uploadDaysBetween } from './upload-time-range.ts';

/** One batch as its result rows tell it: rows by status, and its first and last upload. */
export interface BatchSummary {
  readonly batchId: BatchId;
  /** Result rows by status (images without a row yet are not counted: they are PENDING). */
  readonly counts: { readonly SUCCEEDED: number; readonly FAILED: number };
  readonly rows: number;
  /** uploadedAt of the batch's first and last image with a row. */
  readonly firstUploadedAt: string;
  readonly lastUploadedAt: string;
}

export interface LatestBatchesOptions {
  /** Batches to return, the one with the newest upload first; 10 by default, at most 100. */
  readonly limit?: number;
  /** Look for batches with uploads in [since, until); the 7 days before `until` by default. */
  readonly since?: Date;
  /** Now by default. */
  readonly until?: Date;
  /** Rows of the upload-day index read at most while looking for batches; 5000 by default. */
  readonly maxRowsScanned?: number;
}

export interface LatestBatchesSettings {
  readonly table: string;
  readonly now: () => Date;
}

const defaultLimit = 10;
const maxLimit = 100;
const defaultLookbackMs = 7 * 24 * 3600 * 1000;
const defaultMaxRowsScanned = 5000;

const batchOfRowSchema = failedRowSchema.pick({ batchId: true });
const batchRowSchema = failedRowSchema
  .pick({ imageId: true, uploadedAt: true })
  .extend({ status: imageStatusSchema.extract(['SUCCEEDED', 'FAILED']) });

/**
 * The batches with the newest uploads, newest first, each with its rows counted by status through the
 * batch index. Batches are found by walking the upload-day index back from `until` (image ids are ULIDs,
 * so newest first is sort-key order), reading only each row's batch id; the walk stops at `limit`
 * batches, at `since`, or after `maxRowsScanned` rows.
 */
export async function latestBatches(
  clients: AwsClients,
  settings: LatestBatchesSettings,
  options: LatestBatchesOptions = {},
): Promise<BatchSummary[]> {
  const limit = options.limit ?? defaultLimit;
  if (!Number.isInteger(limit) || limit < 1 || limit > maxLimit) {
    throw new PermanentError('INVALID_ARGUMENT', `the number of batches must be from 1 to ${maxLimit}`);
  }
  const until = options.until ?? settings.now();
  const since = options.since ?? new Date(until.getTime() - defaultLookbackMs);
  if (!(since.getTime() < until.getTime())) {
    throw new PermanentError('INVALID_ARGUMENT', 'the time range is empty: since must be before until');
  }
  const batchIds = await newestBatchIds(clients, settings.table, {
    since,
    until,
    limit,
    maxRowsScanned: options.maxRowsScanned ?? defaultMaxRowsScanned,
  });
  const summaries = await Promise.all(
    batchIds.map((batchId) => summarizeBatch(clients, settings.table, batchId)),
  );
  return summaries.filter((summary) => summary !== undefined);
}

async function newestBatchIds(
  clients: AwsClients,
  table: string,
  walk: { since: Date; until: Date; limit: number; maxRowsScanned: number },
): Promise<BatchId[]> {
  const index = resultsTableKeys.uploadDayIndex;
  const { low, high } = imageIdBounds(walk.since, walk.until);
  const found = new Set<BatchId>();
  let scanned = 0;
  for (const day of uploadDaysBetween(walk.since, walk.until, 'newest')) {
    let startKey: StoredKey | undefined;
    do {
      const page = await queryItems(clients, table, `looking for batches uploaded on ${day}`, {
        IndexName: index.name,
        KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :low AND :high',
        ExpressionAttributeNames: { '#pk': index.partitionKey, '#sk': index.sortKey, '#batch': 'batchId' },
        ExpressionAttributeValues: { ':pk': day, ':low': low, ':high': high },
        ProjectionExpression: '#batch',
        ScanIndexForward: false,
        Limit: Math.min(1000, walk.maxRowsScanned - scanned),
        ExclusiveStartKey: startKey,
      });
      for (const item of page.items) {
        found.add(parseStoredItem(batchOfRowSchema, item).batchId);
        if (found.size === walk.limit) return [...found];
      }
      scanned += page.items.length;
      if (scanned >= walk.maxRowsScanned) return [...found];
      startKey = page.lastKey;
    } while (startKey);
  }
  return [...found];
}

/** The batch's rows counted by status; undefined when it has none (any more). */
async function summarizeBatch(
  clients: AwsClients,
  table: string,
  batchId: BatchId,
): Promise<BatchSummary | undefined> {
  const index = resultsTableKeys.batchIndex;
  const counts = { SUCCEEDED: 0, FAILED: 0 };
  let first: string | undefined;
  let last: string | undefined;
  let startKey: StoredKey | undefined;
  do {
    const page = await queryItems(clients, table, `counting the rows of batch ${batchId}`, {
      IndexName: index.name,
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': index.partitionKey, '#status': 'status' },
      ExpressionAttributeValues: { ':pk': batchId },
      ProjectionExpression: 'imageId, uploadedAt, #status',
      ScanIndexForward: true,
      ExclusiveStartKey: startKey,
    });
    for (const item of page.items) {
      const row = parseStoredItem(batchRowSchema, item);
      counts[row.status] += 1;
      first ??= row.uploadedAt;
      last = row.uploadedAt;
    }
    startKey = page.lastKey;
  } while (startKey);
  if (first === undefined || last === undefined) return undefined;
  return {
    batchId,
    counts,
    rows: counts.SUCCEEDED + counts.FAILED,
    firstUploadedAt: first,
    lastUploadedAt: last,
  };
}

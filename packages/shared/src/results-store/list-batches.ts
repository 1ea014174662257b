import { QueryCommand, type QueryCommandInput, type QueryCommandOutput } from '@aws-sdk/lib-dynamodb';
import pLimit from 'p-limit';
import { z } from 'zod';
import type { AwsClients } from '../aws/aws-clients.ts';
import { classifyAwsError } from '../aws/classify-aws-error.ts';
import { PermanentError } from '../errors/app-error.ts';
import { resultsTableKeys } from '../resources/results-table.ts';
import type { QuerySettings } from './result-queries.ts';
import { imageIdBounds, uploadDaysBetween } from './upload-time-range.ts';

/** One batch: its rows counted by status, and when its images were uploaded and last processed. */
export interface BatchSummary {
  readonly batchId: string;
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

const batchKeySchema = z.object({ batchId: z.string() });
const countedRowSchema = z.object({
  status: z.enum(['SUCCEEDED', 'FAILED']),
  uploadedAt: z.string(),
  processedAt: z.string(),
});

/**
 * The batches with uploads in [since, until), latest first. The table has no list of batches, so the
 * upload-day index is walked newest first, reading only batch ids, until `limit` + 1 batches are seen
 * (the first time a batch appears is its latest upload in the range); then each batch is counted whole
 * through the batch index, reading only status and times.
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
): Promise<string[]> {
  const index = resultsTableKeys.uploadDayIndex;
  const { low, high } = imageIdBounds(options.since, options.until);
  const seen = new Set<string>();
  for (const day of uploadDaysBetween(options.since, options.until, 'newest')) {
    const input: Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey'> = {
      IndexName: index.name,
      KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :low AND :high',
      ProjectionExpression: '#batch',
      ExpressionAttributeNames: { '#pk': index.partitionKey, '#sk': index.sortKey, '#batch': 'batchId' },
      ExpressionAttributeValues: { ':pk': day, ':low': low, ':high': high },
      ScanIndexForward: false,
    };
    for await (const items of queryPages(clients, table, `listing batches uploaded on ${day}`, input)) {
      for (const item of items) {
        seen.add(batchKeySchema.parse(item).batchId);
        if (seen.size > options.limit) return [...seen];
      }
    }
  }
  return [...seen];
}

async function countBatch(clients: AwsClients, table: string, batchId: string): Promise<BatchSummary> {
  const index = resultsTableKeys.batchIndex;
  const counts = { total: 0, SUCCEEDED: 0, FAILED: 0 };
  let firstUploadedAt = '';
  let lastUploadedAt = '';
  let lastProcessedAt = '';
  const input = {
    IndexName: index.name,
    KeyConditionExpression: '#pk = :pk',
    ProjectionExpression: '#status, uploadedAt, processedAt',
    ExpressionAttributeNames: { '#pk': index.partitionKey, '#status': 'status' },
    ExpressionAttributeValues: { ':pk': batchId },
  };
  for await (const items of queryPages(clients, table, `counting batch ${batchId}`, input)) {
    for (const item of items) {
      const parsed = countedRowSchema.safeParse(item);
      if (!parsed.success) {
        throw new PermanentError(
          'RESULT_ROW_INVALID',
          `a result row of batch ${batchId} has no valid status, uploadedAt or processedAt`,
        );
      }
      const row = parsed.data;
      counts.total += 1;
      counts[row.status] += 1;
      if (firstUploadedAt === '' || row.uploadedAt < firstUploadedAt) firstUploadedAt = row.uploadedAt;
      if (row.uploadedAt > lastUploadedAt) lastUploadedAt = row.uploadedAt;
      if (row.processedAt > lastProcessedAt) lastProcessedAt = row.processedAt;
    }
  }
  return { batchId, counts, firstUploadedAt, lastUploadedAt, lastProcessedAt };
}

async function* queryPages(
  clients: AwsClients,
  table: string,
  doing: string,
  input: Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey'>,
): AsyncGenerator<Record<string, unknown>[]> {
  let startKey: Record<string, unknown> | undefined;
  do {
    let reply: QueryCommandOutput;
    try {
      reply = await clients.documents.send(
        new QueryCommand({ TableName: table, ...input, ExclusiveStartKey: startKey }),
      );
    } catch (error) {
      throw classifyAwsError(error, `${doing} in table ${table}`);
    }
    yield reply.Items ?? [];
    startKey = reply.LastEvaluatedKey;
  } while (startKey !== undefined);
}

import { BatchGetCommand, type BatchGetCommandOutput } from '@aws-sdk/lib-dynamodb';
import type { AwsClients } from '../aws/aws-clients.ts';
import { classifyAwsError } from '../aws/classify-aws-error.ts';
import { objectExists } from '../aws/s3-objects.ts';
import type { ImageId } from '../contracts/ids.ts';
import { objectKeys } from '../contracts/object-keys.ts';
import type { FailedRow, ImageStatus, ResultRow, SucceededRow } from '../contracts/result-row.ts';
import { RetryableError } from '../errors/app-error.ts';
import { parseResultRow } from './parse-row.ts';

/** What is known about one image id: its row, or whether it was uploaded at all. */
export type ImageStatusEntry =
  | { readonly imageId: ImageId; readonly status: SucceededRow['status']; readonly row: SucceededRow }
  | { readonly imageId: ImageId; readonly status: FailedRow['status']; readonly row: FailedRow }
  /**
   * PENDING: uploaded (the original exists) but no result row yet. UNKNOWN: no row and no uploaded
   * original: never uploaded, or a wrong id.
   */
  | { readonly imageId: ImageId; readonly status: Exclude<ImageStatus, ResultRow['status']> };

export interface StatusReaderSettings {
  readonly table: string;
  readonly uploadsBucket: string;
  /** Rounds of retrying DynamoDB's UnprocessedKeys before giving up. */
  readonly unprocessedRetries: number;
  /** Parallel HeadObject calls for ids without a row. */
  readonly headConcurrency: number;
  readonly sleep: (ms: number) => Promise<void>;
}

/** DynamoDB's BatchGetItem limit. */
const batchGetMaxKeys = 100;

export async function getImageStatuses(
  clients: AwsClients,
  settings: StatusReaderSettings,
  imageIds: readonly ImageId[],
): Promise<ImageStatusEntry[]> {
  const unique = [...new Set(imageIds)];
  const rows = new Map<string, ResultRow>();
  for (let start = 0; start < unique.length; start += batchGetMaxKeys) {
    for (const row of await readRows(clients, settings, unique.slice(start, start + batchGetMaxKeys))) {
      rows.set(row.imageId, row);
    }
  }
  const withoutRow = unique.filter((id) => !rows.has(id));
  const uploaded = await mapLimited(withoutRow, settings.headConcurrency, (id) =>
    originalExists(clients, settings.uploadsBucket, id),
  );
  const uploadedIds = new Set(withoutRow.filter((_, index) => uploaded[index]));

  return imageIds.map((imageId): ImageStatusEntry => {
    const row = rows.get(imageId);
    if (row?.status === 'SUCCEEDED') return { imageId, status: 'SUCCEEDED', row };
    if (row?.status === 'FAILED') return { imageId, status: 'FAILED', row };
    return uploadedIds.has(imageId) ? { imageId, status: 'PENDING' } : { imageId, status: 'UNKNOWN' };
  });
}

async function readRows(
  clients: AwsClients,
  settings: StatusReaderSettings,
  ids: readonly string[],
): Promise<ResultRow[]> {
  const rows: ResultRow[] = [];
  let keys: Record<string, unknown>[] = ids.map((imageId) => ({ imageId }));
  for (let round = 0; keys.length > 0; round += 1) {
    if (round > settings.unprocessedRetries) {
      throw new RetryableError(
        'DEPENDENCY_UNAVAILABLE',
        `DynamoDB left ${keys.length} keys of table ${settings.table} unprocessed after ${settings.unprocessedRetries} retries`,
      );
    }
    if (round > 0) await settings.sleep(Math.min(2_000, 50 * 2 ** round));
    let reply: BatchGetCommandOutput;
    try {
      reply = await clients.documents.send(
        new BatchGetCommand({ RequestItems: { [settings.table]: { Keys: keys, ConsistentRead: true } } }),
      );
    } catch (error) {
      throw classifyAwsError(error, `reading result rows from table ${settings.table}`, 'DynamoDB');
    }
    for (const item of reply.Responses?.[settings.table] ?? []) rows.push(parseResultRow(item));
    keys = reply.UnprocessedKeys?.[settings.table]?.Keys ?? [];
  }
  return rows;
}

async function originalExists(clients: AwsClients, bucket: string, imageId: ImageId): Promise<boolean> {
  const key = objectKeys.original(imageId);
  try {
    return await objectExists(clients.s3, bucket, key);
  } catch (error) {
    throw classifyAwsError(error, `checking s3://${bucket}/${key}`, 'S3');
  }
}

async function mapLimited<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  // One iterator shared by the workers: each takes the next item when it is free.
  const queue = items.entries();
  const worker = async () => {
    for (const [index, item] of queue) results[index] = await work(item);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

import type { QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import type { AwsClients } from '../aws/aws-clients.ts';
import type { BatchId } from '../contracts/ids.ts';
import type { ResultRow } from '../contracts/result-row.ts';
import { PermanentError } from '../errors/app-error.ts';
import { resultsTableKeys } from '../resources/results-table.ts';
import { decodeCursor, encodeCursor, type StoredKey } from './page-cursor.ts';
import { parseResultRow } from './parse-row.ts';
import { queryItems } from './query-items.ts';
import { imageIdBounds, uploadDaysBetween } from './upload-time-range.ts';

/** One page of rows; `nextCursor` is absent on the last page. */
export interface ResultPage {
  readonly rows: readonly ResultRow[];
  readonly nextCursor?: string | undefined;
}

export interface PageOptions {
  /** Rows per page, 1 to 1000. */
  readonly pageSize?: number;
  /** The `nextCursor` of the previous page. */
  readonly cursor?: string | undefined;
}

/** Only rows whose status is this one (a DynamoDB filter, so pages may hold fewer than pageSize rows). */
export type RowStatusFilter = ResultRow['status'];

export interface TimeRangeOptions extends PageOptions {
  /** Uploaded at or after this time. */
  readonly since: Date;
  /** Uploaded before this time. */
  readonly until: Date;
  readonly status?: RowStatusFilter | undefined;
  /** Newest first (the default) or oldest first. */
  readonly order?: 'newest' | 'oldest';
}

export interface QuerySettings {
  readonly table: string;
  readonly defaultPageSize: number;
}

const maxPageSize = 1000;

/** A batch's rows in upload order (image ids are ULIDs), through the batch index. */
export async function listBatch(
  clients: AwsClients,
  settings: QuerySettings,
  batchId: BatchId,
  options: PageOptions = {},
): Promise<ResultPage> {
  const index = resultsTableKeys.batchIndex;
  const start = options.cursor === undefined ? undefined : decodeCursor(options.cursor).key;
  const page = await queryPage(clients, settings.table, `listing batch ${batchId}`, {
    IndexName: index.name,
    KeyConditionExpression: '#pk = :pk',
    ExpressionAttributeNames: { '#pk': index.partitionKey },
    ExpressionAttributeValues: { ':pk': batchId },
    ScanIndexForward: true,
    Limit: pageSizeOf(options, settings),
    ExclusiveStartKey: start,
  });
  return { rows: page.rows, nextCursor: page.lastKey ? encodeCursor({ key: page.lastKey }) : undefined };
}

/** Rows uploaded on one UTC day (YYYY-MM-DD), through the upload-day index. */
export async function listByUploadDay(
  clients: AwsClients,
  settings: QuerySettings,
  uploadDay: string,
  options: PageOptions & {
    readonly status?: RowStatusFilter | undefined;
    readonly order?: 'newest' | 'oldest';
  } = {},
): Promise<ResultPage> {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(uploadDay)) {
    throw new PermanentError(
      'INVALID_ARGUMENT',
      `upload day must be YYYY-MM-DD, got ${JSON.stringify(uploadDay)}`,
    );
  }
  const since = new Date(`${uploadDay}T00:00:00.000Z`);
  return listUploadedBetween(clients, settings, {
    ...options,
    since,
    until: new Date(since.getTime() + 24 * 3600 * 1000),
  });
}

/**
 * Rows uploaded in [since, until), walking the upload-day index one day at a time with the sort key
 * bounded by the image ids of those times. Newest first unless asked otherwise.
 */
export async function listUploadedBetween(
  clients: AwsClients,
  settings: QuerySettings,
  options: TimeRangeOptions,
): Promise<ResultPage> {
  if (!(options.since.getTime() < options.until.getTime())) {
    throw new PermanentError('INVALID_ARGUMENT', 'the time range is empty: since must be before until');
  }
  const order = options.order ?? 'newest';
  const days = uploadDaysBetween(options.since, options.until, order);
  const position = options.cursor === undefined ? {} : decodeCursor(options.cursor);
  let dayIndex = position.day === undefined ? 0 : days.indexOf(position.day);
  if (dayIndex < 0)
    throw new PermanentError('INVALID_ARGUMENT', 'the page cursor belongs to another time range');
  let startKey: StoredKey | undefined = position.key;
  const { low, high } = imageIdBounds(options.since, options.until);
  const index = resultsTableKeys.uploadDayIndex;
  const pageSize = pageSizeOf(options, settings);
  const rows: ResultRow[] = [];

  while (dayIndex < days.length) {
    const day = days[dayIndex];
    const remaining = pageSize - rows.length;
    // Limit = remaining: when DynamoDB returns that many rows it evaluated exactly those, so its
    // LastEvaluatedKey is the last row returned, even with a status filter.
    const page = await queryPage(clients, settings.table, `listing results uploaded on ${day}`, {
      IndexName: index.name,
      KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :low AND :high',
      ...(options.status === undefined ? {} : { FilterExpression: '#status = :status' }),
      ExpressionAttributeNames: {
        '#pk': index.partitionKey,
        '#sk': index.sortKey,
        ...(options.status === undefined ? {} : { '#status': 'status' }),
      },
      ExpressionAttributeValues: {
        ':pk': day,
        ':low': low,
        ':high': high,
        ...(options.status === undefined ? {} : { ':status': options.status }),
      },
      ScanIndexForward: order === 'oldest',
      Limit: remaining,
      ExclusiveStartKey: startKey,
    });
    rows.push(...page.rows);
    startKey = page.lastKey;
    if (!startKey) {
      dayIndex += 1;
    }
    if (rows.length >= pageSize) break;
  }
  const more = dayIndex < days.length;
  return {
    rows,
    nextCursor: more ? encodeCursor({ day: days[dayIndex], key: startKey }) : undefined,
  };
}

async function queryPage(
  clients: AwsClients,
  table: string,
  doing: string,
  input: Omit<QueryCommandInput, 'TableName'>,
): Promise<{ rows: ResultRow[]; lastKey: StoredKey | undefined }> {
  const page = await queryItems(clients, table, doing, input);
  return { rows: page.items.map((item) => parseResultRow(item)), lastKey: page.lastKey };
}

function pageSizeOf(options: PageOptions, settings: QuerySettings): number {
  const size = options.pageSize ?? settings.defaultPageSize;
  if (!Number.isInteger(size) || size < 1 || size > maxPageSize) {
    throw new PermanentError('INVALID_ARGUMENT', `page size must be a whole number from 1 to ${maxPageSize}`);
  }
  return size;
}

import type { AwsClients } from '../aws/aws-clients.ts';
import type { BatchId, ImageId } from '../contracts/ids.ts';
import { getImageStatuses, type ImageStatusEntry } from './image-statuses.ts';
import { type BatchList, type ListBatchesOptions, listBatches } from './list-batches.ts';
import {
  listBatch,
  listByUploadDay,
  listUploadedBetween,
  type PageOptions,
  type ResultPage,
  type RowStatusFilter,
  type TimeRangeOptions,
} from './result-queries.ts';

/** The resources the store reads: the results table and the uploads bucket (for PENDING vs UNKNOWN). */
export interface ResultsStoreConfig {
  readonly RESULTS_TABLE: string;
  readonly UPLOADS_BUCKET: string;
}

export interface ResultsStoreOptions {
  /** Rows per page when a call does not say; 100 by default. */
  readonly defaultPageSize?: number;
  /** Rounds of retrying BatchGetItem's UnprocessedKeys; 8 by default. */
  readonly unprocessedRetries?: number;
  /** Parallel HeadObject calls for ids without a row; 16 by default. */
  readonly headConcurrency?: number;
  /** For tests: how to wait between retries. */
  readonly sleep?: (ms: number) => Promise<void>;
}

/** Read-only access to results: statuses of image ids, a batch in upload order, listings by upload time. */
export interface ResultsStore {
  /**
   * One entry per id, in the order given: SUCCEEDED or FAILED with the row, PENDING when the original
   * was uploaded but has no row yet, UNKNOWN when neither exists. Consistent reads, so a poller sees a
   * row as soon as it is written.
   */
  getImageStatuses(imageIds: readonly ImageId[]): Promise<ImageStatusEntry[]>;
  /** A batch's rows in upload order, one page at a time. */
  listBatch(batchId: BatchId, options?: PageOptions): Promise<ResultPage>;
  /** Every row of a batch in upload order, page by page. */
  batchPages(batchId: BatchId, options?: Pick<PageOptions, 'pageSize'>): AsyncGenerator<ResultPage>;
  /** Rows uploaded on one UTC day (YYYY-MM-DD). */
  listByUploadDay(
    uploadDay: string,
    options?: PageOptions & { readonly status?: RowStatusFilter; readonly order?: 'newest' | 'oldest' },
  ): Promise<ResultPage>;
  /** Rows uploaded in [since, until), newest first unless `order: 'oldest'`, optionally of one status. */
  listUploadedBetween(options: TimeRangeOptions): Promise<ResultPage>;
  /** Every row uploaded in [since, until), page by page. */
  uploadedBetweenPages(options: Omit<TimeRangeOptions, 'cursor'>): AsyncGenerator<ResultPage>;
  /** The batches with uploads in [since, until), latest first, each counted whole by status. */
  listBatches(options: ListBatchesOptions): Promise<BatchList>;
}

export function createResultsStore(
  clients: AwsClients,
  config: ResultsStoreConfig,
  options: ResultsStoreOptions = {},
): ResultsStore {
  const query = { table: config.RESULTS_TABLE, defaultPageSize: options.defaultPageSize ?? 100 };
  const statuses = {
    table: config.RESULTS_TABLE,
    uploadsBucket: config.UPLOADS_BUCKET,
    unprocessedRetries: options.unprocessedRetries ?? 8,
    headConcurrency: options.headConcurrency ?? 16,
    sleep: options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))),
  };
  return {
    getImageStatuses: (imageIds) => getImageStatuses(clients, statuses, imageIds),
    listBatch: (batchId, pageOptions) => listBatch(clients, query, batchId, pageOptions),
    batchPages: (batchId, pageOptions) =>
      allPages((cursor) => listBatch(clients, query, batchId, { ...pageOptions, cursor })),
    listByUploadDay: (uploadDay, dayOptions) => listByUploadDay(clients, query, uploadDay, dayOptions),
    listUploadedBetween: (rangeOptions) => listUploadedBetween(clients, query, rangeOptions),
    uploadedBetweenPages: (rangeOptions) =>
      allPages((cursor) => listUploadedBetween(clients, query, { ...rangeOptions, cursor })),
    listBatches: (batchOptions) => listBatches(clients, query, batchOptions),
  };
}

async function* allPages(
  read: (cursor: string | undefined) => Promise<ResultPage>,
): AsyncGenerator<ResultPage> {
  let cursor: string | undefined;
  do {
    const page = await read(cursor);
    yield page;
    cursor = page.nextCursor;
  } while (cursor !== undefined);
}

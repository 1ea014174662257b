export type { ImageStatusEntry } from './image-statuses.ts';
export { findLatestReport, type LatestReportOptions, type StoredReport } from './latest-report.ts';
export type { BatchList, BatchSummary, ListBatchesOptions } from './list-batches.ts';
export { decodeCursor, encodeCursor } from './page-cursor.ts';
export { parseResultRow } from './parse-row.ts';
export type { PageOptions, ResultPage, RowStatusFilter, TimeRangeOptions } from './result-queries.ts';
export {
  createResultsStore,
  type ResultsStore,
  type ResultsStoreConfig,
  type ResultsStoreOptions,
} from './results-store.ts';
export { imageIdBounds, uploadDaysBetween } from './upload-time-range.ts';

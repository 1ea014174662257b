export type { ApiFailure } from './api-failure.ts';
export { collectFiles, imageExtensions, type LocalFile } from './collect-files.ts';
export { defaultRetryPolicy, type RetryPolicy } from './retry-policy.ts';
export {
  type FileResult,
  type UploadEvent,
  type UploadFilesOptions,
  type UploadSummary,
  uploadFiles,
} from './upload-files.ts';
export {
  type ImageOutcome,
  type ImageStatus,
  type WaitOptions,
  type WaitProgress,
  type WaitSummary,
  waitForResults,
} from './wait-for-results.ts';

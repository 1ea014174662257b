export {
  AppError,
  type AppErrorOptions,
  appError,
  isAppError,
  isRetryableCode,
  PermanentError,
  type PermanentErrorCode,
  RetryableError,
  type RetryableErrorCode,
  toAppError,
} from './app-error.ts';
export { type ErrorCode, type ErrorCodeInfo, errorCatalogue, isErrorCode } from './error-codes.ts';

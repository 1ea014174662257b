import { type ErrorCode, errorCatalogue } from './error-codes.ts';

export interface AppErrorOptions {
  readonly cause?: unknown;
  /** Extra, non-secret facts for the error body or log (field names, limits). */
  readonly details?: Readonly<Record<string, unknown>>;
}

/** Base of every error the pipeline raises on purpose: a stable code, a readable message, a cause. */
export abstract class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: Readonly<Record<string, unknown>> | undefined;
  abstract readonly retryable: boolean;

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.details = options.details;
  }

  get httpStatus(): number {
    return errorCatalogue[this.code].httpStatus;
  }

  get exitCode(): number {
    return errorCatalogue[this.code].exitCode;
  }
}

/** Retrying will not help: bad input, a broken contract, missing data. */
export class PermanentError extends AppError {
  override readonly name = 'PermanentError';
  readonly retryable = false;
}

/** The same work may succeed later: a dependency was unavailable, throttled or overloaded. */
export class RetryableError extends AppError {
  override readonly name = 'RetryableError';
  readonly retryable = true;
}

/** Makes the error of the right kind for a code, as the catalogue classifies it. */
export function appError(code: ErrorCode, message: string, options: AppErrorOptions = {}): AppError {
  return errorCatalogue[code].retryable
    ? new RetryableError(code, message, options)
    : new PermanentError(code, message, options);
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}

/** Any thrown value as an AppError; unknown failures become INTERNAL with the original as cause. */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new PermanentError('INTERNAL', message, { cause: error });
}

/** The process exit code for a failure, from the catalogue. */
export function exitCodeFor(error: unknown): number {
  return toAppError(error).exitCode;
}

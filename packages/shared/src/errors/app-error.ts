import { type ErrorCode, errorCatalogue } from './error-codes.ts';

/** The codes whose catalogue entry says `retryable: R`, worked out from the catalogue's literal types. */
type CodesWhereRetryableIs<R extends boolean> = {
  [C in ErrorCode]: (typeof errorCatalogue)[C]['retryable'] extends R ? C : never;
}[ErrorCode];

/** Codes that retrying will not fix: the only codes a PermanentError accepts. */
export type PermanentErrorCode = CodesWhereRetryableIs<false>;
/** Codes that may succeed later: the only codes a RetryableError accepts. */
export type RetryableErrorCode = CodesWhereRetryableIs<true>;

/**
 * Held only by this module: AppError's constructor asks for it, so the two kinds below are the only
 * subclasses that can be built, and each takes only the codes of its kind.
 */
const kindToken: unique symbol = Symbol('AppError kind');

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

  protected constructor(
    token: typeof kindToken,
    code: ErrorCode,
    message: string,
    options: AppErrorOptions = {},
  ) {
    if (token !== kindToken) throw new TypeError('AppError has two kinds: PermanentError and RetryableError');
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
  declare readonly code: PermanentErrorCode;

  constructor(code: PermanentErrorCode, message: string, options: AppErrorOptions = {}) {
    super(kindToken, code, message, options);
  }
}

/** The same work may succeed later: a dependency was unavailable, throttled or overloaded. */
export class RetryableError extends AppError {
  override readonly name = 'RetryableError';
  readonly retryable = true;
  declare readonly code: RetryableErrorCode;

  constructor(code: RetryableErrorCode, message: string, options: AppErrorOptions = {}) {
    super(kindToken, code, message, options);
  }
}

/** True when the catalogue classifies the code as worth retrying. */
export function isRetryableCode(code: ErrorCode): code is RetryableErrorCode {
  return errorCatalogue[code].retryable;
}

/** Makes the error of the right kind for a code, as the catalogue classifies it. */
export function appError(code: ErrorCode, message: string, options: AppErrorOptions = {}): AppError {
  return isRetryableCode(code)
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

import { AppError, PermanentError, RetryableError } from '../errors/app-error.ts';
import { isMissingCredentials, missingCredentialsHint } from './credentials-hint.ts';

const networkErrorCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_SOCKET',
]);

const throttlingNames = new Set([
  'ThrottlingException',
  'Throttling',
  'ThrottledException',
  'RequestThrottled',
  'RequestThrottledException',
  'ProvisionedThroughputExceededException',
  'SlowDown',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'ServiceUnavailable',
  'InternalError',
  'InternalServerError',
  'TimeoutError',
  'RequestTimeout',
]);

/** The AWS services the pipeline depends on, as error bodies name them. */
export type AwsDependency = 'S3' | 'SQS' | 'DynamoDB';

interface AwsLikeError {
  name?: string;
  code?: string;
  $metadata?: { httpStatusCode?: number };
  $retryable?: unknown;
}

/** The HTTP status of an AWS SDK service error (its response metadata), if it has one. */
export function httpStatusOf(error: unknown): number | undefined {
  if (!error || typeof error !== 'object') return undefined;
  return (error as AwsLikeError).$metadata?.httpStatusCode;
}

/** True when an AWS SDK failure may succeed if tried again: network, throttling, 5xx. */
export function isTransientAwsError(error: unknown): boolean {
  if (!error || typeof error !== 'object') return false;
  const e = error as AwsLikeError;
  if (e.code && networkErrorCodes.has(e.code)) return true;
  if (e.name && throttlingNames.has(e.name)) return true;
  if (e.$retryable) return true;
  const status = httpStatusOf(error);
  if (status !== undefined && (status >= 500 || status === 429)) return true;
  if (e.name === 'AbortError' || e.name === 'TimeoutError') return true;
  // Connection failures surface as plain errors whose cause carries the socket code.
  const cause = (error as { cause?: unknown }).cause;
  return cause !== undefined && cause !== error && isTransientAwsError(cause);
}

/**
 * True when AWS refused the request: a service exception, which carries its response metadata (missing
 * bucket, queue or table, access denied, bad request).
 */
function isAwsRefusal(error: unknown): boolean {
  if (!error || typeof error !== 'object') return false;
  const e = error as AwsLikeError & { $fault?: unknown };
  return e.$metadata !== undefined || e.$fault !== undefined;
}

/**
 * An AWS SDK failure as a pipeline error: transient ones (network, throttling, 5xx) become retryable
 * DEPENDENCY_UNAVAILABLE; refusals (missing resource, access denied, no credentials) permanent
 * DEPENDENCY_FAILED, so a service answers 502 and a CLI prints a one-line reason (for missing
 * credentials, how to provide them); anything else (a bug) stays INTERNAL. AppErrors pass through
 * unchanged. `dependency` names the service in `details`, so an edge that must not show the message
 * (bucket names, addresses) can still say what failed.
 */
export function classifyAwsError(error: unknown, doing: string, dependency?: AwsDependency): AppError {
  if (error instanceof AppError) return error;
  const name = error instanceof Error ? error.name : 'Error';
  const message = error instanceof Error ? error.message : String(error);
  const text = `${doing}: ${name}${message && message !== name ? `: ${message}` : ''}`;
  const options = { cause: error, ...(dependency ? { details: { dependency } } : {}) };
  if (isTransientAwsError(error)) {
    return new RetryableError('DEPENDENCY_UNAVAILABLE', text, options);
  }
  if (isMissingCredentials(error)) {
    return new PermanentError('DEPENDENCY_FAILED', `${doing}: ${missingCredentialsHint}`, options);
  }
  return new PermanentError(isAwsRefusal(error) ? 'DEPENDENCY_FAILED' : 'INTERNAL', text, options);
}

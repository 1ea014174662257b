import { isTransientAwsError } from '../aws/classify-aws-error.ts';
import { AppError, PermanentError, RetryableError } from '../errors/app-error.ts';

/**
 * An AWS failure met while reading results, as a pipeline error: transient ones (network, throttling,
 * 5xx) are DEPENDENCY_UNAVAILABLE; refusals (missing table or bucket, access denied) are DEPENDENCY_FAILED,
 * so a CLI prints a one-line reason instead of a stack.
 */
export function storeError(error: unknown, doing: string): AppError {
  if (error instanceof AppError) return error;
  const name = error instanceof Error ? error.name : 'Error';
  const message = error instanceof Error ? error.message : String(error);
  const text = `${doing}: ${name}${message && message !== name ? `: ${message}` : ''}`;
  return isTransientAwsError(error)
    ? new RetryableError('DEPENDENCY_UNAVAILABLE', text, { cause: error })
    : new PermanentError('DEPENDENCY_FAILED', text, { cause: error });
}

/** True for S3's answer to HeadObject/GetObject on a key that does not exist. */
export function isMissingObject(error: unknown): boolean {
  if (!error || typeof error !== 'object') return false;
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e.name === 'NotFound' || e.name === 'NoSuchKey' || e.$metadata?.httpStatusCode === 404;
}

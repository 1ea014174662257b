import { classifyAwsError } from '../aws/classify-aws-error.ts';
import type { AppError } from '../errors/app-error.ts';

/**
 * An AWS failure met while reading results, as a pipeline error (see classifyAwsError): transient ones
 * are DEPENDENCY_UNAVAILABLE; refusals (missing table or bucket, access denied) are DEPENDENCY_FAILED, so
 * a CLI prints a one-line reason instead of a stack.
 */
export function storeError(error: unknown, doing: string): AppError {
  return classifyAwsError(error, doing);
}

/** True for S3's answer to HeadObject/GetObject on a key that does not exist. */
export function isMissingObject(error: unknown): boolean {
  if (!error || typeof error !== 'object') return false;
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e.name === 'NotFound' || e.name === 'NoSuchKey' || e.$metadata?.httpStatusCode === 404;
}

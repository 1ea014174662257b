import type { ErrorBody } from '@photo-pipeline/shared/contracts';
import type { AppError } from '@photo-pipeline/shared/errors';

/**
 * What a client is told of a failure on our side: which service failed (S3, SQS, DynamoDB), never the
 * message that names buckets, keys, tables or addresses (that one goes to the log). A refusal of the
 * client's own request keeps its message: it is about what the client sent.
 */
function publicMessageOf(error: AppError): string {
  const dependency = typeof error.details?.dependency === 'string' ? error.details.dependency : undefined;
  const queued = Array.isArray(error.details?.queuedImageIds)
    ? '; some images were queued all the same (details.queuedImageIds)'
    : '';
  switch (error.code) {
    case 'DEPENDENCY_UNAVAILABLE':
      return `${dependency ?? 'a service the API depends on'} is unavailable; retry later${queued}`;
    case 'DEPENDENCY_FAILED':
      return `${dependency ?? 'a service the API depends on'} refused the request${queued}`;
    case 'INTERNAL':
      return 'an unexpected error occurred; it is logged under this request id';
    default:
      return error.message;
  }
}

/** The documented error body: `{ error: { code, message, requestId, retryable, details? } }`. */
export function errorBodyOf(error: AppError, requestId: string): ErrorBody {
  const details = error.code === 'INTERNAL' ? undefined : error.details;
  return {
    error: {
      code: error.code,
      message: publicMessageOf(error),
      requestId,
      retryable: error.retryable,
      ...(details ? { details: { ...details } } : {}),
    },
  };
}

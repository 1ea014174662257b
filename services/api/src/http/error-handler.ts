import type { AppError } from '@photo-pipeline/shared/errors';
import type { Metrics } from '@photo-pipeline/shared/metrics';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ErrorBody } from '../schemas/error-body.ts';
import type { UploadLimits } from '../upload/upload-limits.ts';
import { toHttpError } from './framework-errors.ts';

/** Seconds a client should wait before retrying a retryable failure. */
const retryAfterSeconds: Partial<Record<AppError['code'], number>> = {
  DEPENDENCY_UNAVAILABLE: 5,
  OVERLOADED: 2,
  IDEMPOTENCY_KEY_IN_USE: 1,
};

export function errorBodyOf(error: AppError, requestId: string): ErrorBody {
  return {
    error: {
      code: error.code,
      message: error.message,
      requestId,
      retryable: error.retryable,
      ...(error.details ? { details: { ...error.details } } : {}),
    },
  };
}

/**
 * The one place errors become HTTP replies: the catalogue's status, a JSON body with the code, message
 * and request id, Retry-After on retryable ones; never a stack. Unexpected errors are logged in full.
 */
export function installErrorHandler(app: FastifyInstance, limits: UploadLimits, metrics: Metrics): void {
  app.setErrorHandler((raw, request, reply) => {
    const error = toHttpError(raw, limits);
    if (error.code === 'INTERNAL') request.log.error({ err: raw }, 'request failed');
    else if (error.httpStatus >= 500) request.log.warn({ err: raw, code: error.code }, 'request failed');
    // A refusal is no event of its own: its code and reason go on the request's one log line.
    else request.logOutcome = { ...request.logOutcome, code: error.code, reason: error.message };
    if (request.routeOptions.url === '/v1/images')
      metrics.count('UploadsRejected', 1, { ErrorCode: error.code });
    sendError(request, reply, error);
  });
  app.setNotFoundHandler((request, reply) => {
    sendError(
      request,
      reply,
      toHttpError(
        { code: 'FST_ERR_NOT_FOUND', message: `no route ${request.method} ${request.url}` },
        limits,
      ),
    );
  });
}

function sendError(request: FastifyRequest, reply: FastifyReply, error: AppError): void {
  const retryAfter = retryAfterSeconds[error.code];
  if (retryAfter !== undefined && !reply.hasHeader('retry-after'))
    reply.header('retry-after', String(retryAfter));
  // A refused upload whose body is still arriving: close the connection after replying rather than
  // read the rest of a file we will not store.
  if (!request.raw.complete) reply.header('connection', 'close');
  reply.code(error.httpStatus).send(errorBodyOf(error, request.id));
}

import { type AppError, appError, isAppError } from '@photo-pipeline/shared/errors';
import type { Metrics } from '@photo-pipeline/shared/metrics';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { UploadLimits } from '../../core/upload/upload-limits.ts';
import { clientGone } from './client-gone.ts';
import { finishBodyAfterReply } from './early-reply.ts';
import { errorBodyOf } from './error-body.ts';
import { toHttpError } from './framework-errors.ts';
import type { SecurityHeaders } from './security-headers.ts';

/** Seconds a client should wait before retrying a retryable failure. */
const retryAfterSeconds: Partial<Record<AppError['code'], number>> = {
  DEPENDENCY_UNAVAILABLE: 5,
  OVERLOADED: 2,
  IDEMPOTENCY_KEY_IN_USE: 1,
  RATE_LIMITED: 1,
};

export interface ErrorHandlerOptions {
  readonly limits: UploadLimits;
  readonly metrics: Metrics;
  /** Bytes of a refused request's body still read after the reply, so the client can read it. */
  readonly maxBodyBytesAfterReply: number;
}

/**
 * The one place errors become HTTP replies: the catalogue's status, the documented JSON body (what
 * failed, never internal details), Retry-After on retryable ones; never a stack. Failures on our side
 * are logged in full; a refusal of the client's request goes on its one log line.
 */
export function installErrorHandler(app: FastifyInstance, options: ErrorHandlerOptions): void {
  const { limits, metrics } = options;
  app.setErrorHandler((raw, request, reply) => {
    // Whatever broke (the parser, the S3 upload reading the body), a client that went away is the cause.
    const gone = clientGone(request);
    const error = gone ? abortedBy(request.raw.errored ?? raw) : toHttpError(raw, limits);
    if (error.code === 'INTERNAL') request.log.error({ err: raw }, 'request failed');
    else if (error.httpStatus >= 500) request.log.warn({ err: raw, code: error.code }, 'request failed');
    // A refusal is no event of its own: its code and reason go on the request's one log line.
    else request.logOutcome = { ...request.logOutcome, code: error.code, reason: error.message };
    if (request.routeOptions.url === '/v1/images')
      metrics.count('UploadsRejected', 1, { ErrorCode: error.code });
    if (gone) {
      // No reply can be written, so fastify will not log the request as completed: this is its line.
      request.log.info(
        {
          method: request.method,
          url: request.url,
          responseTimeMs: Math.round(reply.elapsedTime * 10) / 10,
          ...request.logOutcome,
        },
        'request aborted by the client',
      );
      reply.hijack();
      return;
    }
    sendError(request, reply, error, options.maxBodyBytesAfterReply);
  });
  app.setNotFoundHandler((request, reply) => {
    request.logOutcome = { code: 'NOT_FOUND' };
    sendError(
      request,
      reply,
      appError('NOT_FOUND', `no route ${request.method} ${request.url.slice(0, 256)}`),
      options.maxBodyBytesAfterReply,
    );
  });
}

/**
 * Fastify's frameworkErrors handler: a URL it cannot decode is answered before any hook runs, so the
 * request id and security headers are set here.
 */
export function createFrameworkErrorHandler(
  limits: UploadLimits,
  headers: SecurityHeaders,
): (error: Error, request: FastifyRequest, reply: FastifyReply) => void {
  return (raw, request, reply) => {
    const error = toHttpError(raw, limits);
    reply.headers(headers).header('x-request-id', request.id);
    sendError(request, reply, error, 0);
  };
}

function abortedBy(cause: unknown): AppError {
  if (isAppError(cause) && cause.code === 'UPLOAD_ABORTED') return cause;
  return appError('UPLOAD_ABORTED', 'the client closed the connection before the request finished', {
    cause,
  });
}

function sendError(
  request: FastifyRequest,
  reply: FastifyReply,
  error: AppError,
  maxBodyBytesAfterReply: number,
): void {
  const retryAfter = retryAfterSeconds[error.code];
  if (retryAfter !== undefined && !reply.hasHeader('retry-after'))
    reply.header('retry-after', String(retryAfter));
  reply.code(error.httpStatus);
  if (!request.raw.complete) finishBodyAfterReply(request, reply, maxBodyBytesAfterReply);
  reply.send(errorBodyOf(error, request.id));
}

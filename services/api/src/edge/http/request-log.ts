import { type FastifyInstance, type FastifyReply, type FastifyRequest, LogController } from 'fastify';

declare module 'fastify' {
  interface FastifyRequest {
    /** What the request did, added to its one log line (image ids of an upload, the code of a refusal). */
    logOutcome: Record<string, unknown> | null;
  }
}

/**
 * One log line per request, written when it completes: method, URL, status, time taken and what the
 * route or error handler noted in `request.logOutcome`. Fastify's own "incoming request" line is not
 * written (it said nothing the completion line does not). Load balancer probes are not logged.
 */
export class OneLinePerRequest extends LogController {
  constructor() {
    super({
      requestIdLogLabel: 'requestId',
      disableRequestLogging: (request: { url?: string }) =>
        request.url === '/healthz' || request.url === '/readyz',
    });
  }

  override incomingRequest(): void {}

  override requestCompleted(
    error: Error | null | undefined,
    request: FastifyRequest,
    reply: FastifyReply,
  ): void {
    if (this.isLogDisabled(request)) return;
    const line = {
      method: request.method,
      url: request.url,
      statusCode: reply.statusCode,
      responseTimeMs: Math.round(reply.elapsedTime * 10) / 10,
      ...request.logOutcome,
    };
    if (error) reply.log.error({ ...line, err: error }, 'request errored');
    else reply.log.info(line, 'request completed');
  }
}

/** Gives every request an empty `logOutcome` for routes and the error handler to fill. */
export function installRequestLog(app: FastifyInstance): void {
  app.decorateRequest('logOutcome', null);
}

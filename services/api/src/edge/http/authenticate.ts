import { appError, isAppError } from '@photo-pipeline/shared/errors';
import type { FastifyInstance } from 'fastify';
import type { ApiKeyCheck } from './api-keys.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who is asking: "open" without API keys, else a digest prefix of the key. */
    principal: string;
  }
}

const failureWindowMs = 60_000;

/**
 * Sets `request.principal` from the bearer key on every route of `app`'s scope (401 UNAUTHORIZED for a
 * missing or wrong key). Failed attempts are counted per client address: past `failuresPerMinute` in a
 * minute, every request from that address is answered 429 RATE_LIMITED until the minute is over, the
 * right key included, so keys cannot be guessed at speed. The count is @fastify/rate-limit's store,
 * read without counting for every request and counted only on a failure.
 */
export function installAuthentication(
  app: FastifyInstance,
  apiKeys: ApiKeyCheck,
  failuresPerMinute: number,
): void {
  app.decorateRequest('principal', '');
  if (!apiKeys.enabled || failuresPerMinute <= 0) {
    app.addHook('onRequest', (request, _reply, done) => {
      request.principal = apiKeys.principalOf(request.headers.authorization);
      done();
    });
    return;
  }
  const failures = app.createRateLimit({
    max: failuresPerMinute,
    timeWindow: failureWindowMs,
    keyGenerator: (request) => request.ip,
  });
  app.addHook('onRequest', async (request, reply) => {
    const earlier = await failures(request, { increment: false });
    if (!earlier.isAllowed && earlier.remaining === 0) {
      reply.header('retry-after', String(earlier.ttlInSeconds));
      throw appError(
        'RATE_LIMITED',
        `more than ${failuresPerMinute} failed authentications a minute from this address; retry in ${earlier.ttlInSeconds} s`,
        { details: { maxAuthFailuresPerMinute: failuresPerMinute, retryAfterSeconds: earlier.ttlInSeconds } },
      );
    }
    try {
      request.principal = apiKeys.principalOf(request.headers.authorization);
    } catch (error) {
      if (isAppError(error) && error.code === 'UNAUTHORIZED') await failures(request);
      throw error;
    }
  });
}

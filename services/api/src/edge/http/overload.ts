import underPressure from '@fastify/under-pressure';
import { appError } from '@photo-pipeline/shared/errors';
import type { FastifyInstance } from 'fastify';

export interface OverloadOptions {
  /** 0 turns the check off. */
  readonly maxEventLoopDelayMs: number;
  readonly maxConcurrentUploads: number;
}

export interface UploadSlots {
  /**
   * Takes a slot for `client` (an API key's principal, or an address), or throws: RATE_LIMITED when
   * that client already has its share in progress, OVERLOADED when every slot is taken. The returned
   * function gives the slot back.
   */
  acquire(client: string): () => void;
  readonly inFlight: number;
}

/** Refuses requests with 503 OVERLOADED while the event loop lags (health probes excepted). */
export async function installOverloadProtection(
  app: FastifyInstance,
  options: OverloadOptions,
): Promise<void> {
  if (options.maxEventLoopDelayMs <= 0) return;
  await app.register(underPressure, {
    maxEventLoopDelay: options.maxEventLoopDelayMs,
    pressureHandler: (_request, _reply, type, value) =>
      Promise.reject(
        appError(
          'OVERLOADED',
          `the service is under pressure (${type} ${Math.round(Number(value ?? 0))}); retry later`,
        ),
      ),
  });
}

/**
 * Once the server is closing (SIGTERM), requests still arriving on kept-alive connections are answered
 * 503 OVERLOADED with the documented body (fastify's own return503OnClosing writes a body of its own),
 * and their connections are closed.
 */
export function installShutdownRefusal(app: FastifyInstance): void {
  let closing = false;
  app.addHook('preClose', (done) => {
    closing = true;
    done();
  });
  app.addHook('onRequest', (_request, reply, done) => {
    if (!closing) return done();
    reply.header('connection', 'close');
    done(appError('OVERLOADED', 'the service is shutting down; retry on another connection'));
  });
}

/**
 * A count of uploads in progress, bounded in all (so a burst cannot exhaust memory or sockets) and per
 * client (so a few clients, slow senders above all, cannot take every slot from the others).
 */
export function createUploadSlots(max: number, maxPerClient: number): UploadSlots {
  let inFlight = 0;
  const byClient = new Map<string, number>();
  return {
    acquire(client) {
      const mine = byClient.get(client) ?? 0;
      if (mine >= maxPerClient) {
        throw appError(
          'RATE_LIMITED',
          `${maxPerClient} uploads from this client are already in progress; retry when one has finished`,
          { details: { maxUploadsPerClient: maxPerClient } },
        );
      }
      if (inFlight >= max) {
        throw appError('OVERLOADED', `${max} uploads are already in progress; retry later`, {
          details: { maxConcurrentUploads: max },
        });
      }
      inFlight += 1;
      byClient.set(client, mine + 1);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        inFlight -= 1;
        const left = (byClient.get(client) ?? 1) - 1;
        if (left > 0) byClient.set(client, left);
        else byClient.delete(client);
      };
    },
    get inFlight() {
      return inFlight;
    },
  };
}

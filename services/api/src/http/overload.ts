import underPressure from '@fastify/under-pressure';
import { appError } from '@photo-pipeline/shared/errors';
import type { FastifyInstance } from 'fastify';

export interface OverloadOptions {
  /** 0 turns the check off. */
  readonly maxEventLoopDelayMs: number;
  readonly maxConcurrentUploads: number;
}

export interface UploadSlots {
  /** Takes a slot or throws OVERLOADED; the returned function gives it back. */
  acquire(): () => void;
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

/** A count of uploads in progress, bounded so a burst cannot exhaust memory or sockets. */
export function createUploadSlots(max: number): UploadSlots {
  let inFlight = 0;
  return {
    acquire() {
      if (inFlight >= max) {
        throw appError('OVERLOADED', `${max} uploads are already in progress; retry later`, {
          details: { maxConcurrentUploads: max },
        });
      }
      inFlight += 1;
      let released = false;
      return () => {
        if (released) return;
        released = true;
        inFlight -= 1;
      };
    },
    get inFlight() {
      return inFlight;
    },
  };
}

import type { IncomingMessage } from 'node:http';
import { appError } from '@photo-pipeline/shared/errors';

export interface SlowUploadSweepOptions {
  /** Average body bytes per second an upload must keep up once `graceMs` have passed; 0 turns it off. */
  readonly minBytesPerSecond: number;
  readonly graceMs: number;
  /** How often the uploads in progress are looked at. */
  readonly everyMs?: number;
  readonly now?: () => number;
}

export interface SlowUploadSweep {
  /** Holds `body` to the minimum rate until the returned function is called (the upload has finished). */
  watch(body: IncomingMessage): () => void;
  close(): void;
}

interface Watched {
  readonly startedAt: number;
  /** The socket's byte count when the upload began (a kept-alive socket has read earlier requests). */
  readonly bytesBefore: number;
}

/**
 * Ends uploads whose body arrives slower than a floor: a sender that trickles a byte now and then is
 * never idle, so the idle timeout alone would let it hold its slot for the whole request timeout. One
 * timer for all uploads in progress (not one per request) compares each body's bytes with the time it
 * has had; one below the floor is destroyed (UPLOAD_ABORTED), which fails and rolls back its upload.
 */
export function startSlowUploadSweep(options: SlowUploadSweepOptions): SlowUploadSweep {
  const now = options.now ?? (() => performance.now());
  const watched = new Map<IncomingMessage, Watched>();
  const timer =
    options.minBytesPerSecond > 0
      ? setInterval(() => sweep(watched, options, now()), options.everyMs ?? 1_000).unref()
      : undefined;
  return {
    watch(body) {
      if (timer === undefined || body.complete) return () => {};
      watched.set(body, { startedAt: now(), bytesBefore: body.socket.bytesRead });
      return () => {
        watched.delete(body);
      };
    },
    close() {
      clearInterval(timer);
      watched.clear();
    },
  };
}

function sweep(watched: Map<IncomingMessage, Watched>, options: SlowUploadSweepOptions, at: number): void {
  for (const [body, { startedAt, bytesBefore }] of watched) {
    if (body.complete || body.destroyed) {
      watched.delete(body);
      continue;
    }
    const elapsedMs = at - startedAt;
    if (elapsedMs < options.graceMs) continue;
    const bytes = body.socket.bytesRead - bytesBefore;
    if ((bytes * 1_000) / elapsedMs >= options.minBytesPerSecond) continue;
    watched.delete(body);
    body.destroy(
      appError(
        'UPLOAD_ABORTED',
        `the request body arrived at ${Math.round((bytes * 1_000) / elapsedMs)} bytes/s, under the ${options.minBytesPerSecond} bytes/s floor`,
      ),
    );
  }
}

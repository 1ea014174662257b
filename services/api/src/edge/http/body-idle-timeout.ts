import type { IncomingMessage, ServerResponse } from 'node:http';
import { appError } from '@photo-pipeline/shared/errors';

/**
 * Ends a request whose body stops arriving: no byte for `idleMs` destroys it (UPLOAD_ABORTED), which
 * fails the upload reading it and rolls it back. It is the socket's own inactivity timeout (one timer
 * that Node re-arms on every read), not a timer per request; Node emits its 'timeout' on the request
 * only while the body is incomplete. Once the body has arrived the timeout is lifted, so a slow S3
 * behind a complete request is not taken for a slow client, and the keep-alive timeout Node sets
 * after the reply is restored if the reply went first.
 */
export function armBodyIdleTimeout(
  body: IncomingMessage,
  reply: ServerResponse,
  idleMs: number,
  keepAliveTimeoutMs: number,
): void {
  if (idleMs <= 0 || body.complete || body.listenerCount('timeout') > 0) return;
  const { socket } = body;
  socket.setTimeout(idleMs);
  body.once('timeout', () => {
    body.destroy(appError('UPLOAD_ABORTED', `no bytes of the request body arrived for ${idleMs} ms`));
  });
  body.once('end', () => {
    socket.setTimeout(reply.writableFinished ? keepAliveTimeoutMs : 0);
  });
  // A reply sent before the body ended (a refusal): Node then sets its keep-alive timeout; the rest of
  // the body is still held to the idle timeout while it is read and dropped.
  reply.once('finish', () => {
    if (!body.complete) socket.setTimeout(idleMs);
  });
}

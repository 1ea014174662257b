import type { FastifyReply, FastifyRequest } from 'fastify';

/** Refusals for size: the rest of such a body is not read, the connection is closed after the reply. */
const closeAtOnce = new Set([413]);

/**
 * A reply sent before the request body has arrived in full (503 during an outage, 429, 401, a refused
 * file): closing the connection at once would make the kernel reset it while the client is still
 * writing, and many clients then report EPIPE instead of reading our reply. So the rest of the body is
 * read and dropped, up to `maxBytes`, and the connection stays usable; a body still arriving beyond that
 * (or one refused for its size) has its connection closed after the reply.
 */
export function finishBodyAfterReply(request: FastifyRequest, reply: FastifyReply, maxBytes: number): void {
  const body = request.raw;
  if (maxBytes <= 0 || closeAtOnce.has(reply.statusCode)) {
    reply.header('connection', 'close');
    return;
  }
  // Whatever was reading the body (the multipart parser) is done with it.
  body.unpipe();
  let bytes = 0;
  const onData = (chunk: Buffer) => {
    bytes += chunk.length;
    if (bytes > maxBytes) {
      body.off('data', onData);
      body.socket.destroy();
    }
  };
  body.on('data', onData);
  body.resume();
}

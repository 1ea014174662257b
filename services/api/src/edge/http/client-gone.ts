import type { FastifyRequest } from 'fastify';

/**
 * True once the client can no longer read a reply: its connection is closed or reset. A client that
 * only half-closed (sent its request, then shut down its sending side) can still read, and is answered.
 */
export function clientGone(request: FastifyRequest): boolean {
  const { socket } = request.raw;
  return socket.destroyed || !socket.writable;
}

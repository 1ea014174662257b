import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { type AppError, appError } from '@photo-pipeline/shared/errors';
import type { Logger } from '@photo-pipeline/shared/log';
import { errorBodyOf } from './error-body.ts';
import type { SecurityHeaders } from './security-headers.ts';

/** A failure Node's HTTP parser reports before any request exists, as a pipeline error. */
function clientErrorOf(error: Error & { code?: string }): AppError {
  switch (error.code) {
    case 'HPE_HEADER_OVERFLOW':
      return appError('REQUEST_HEADERS_TOO_LARGE', 'the request headers are over the size limit', {
        cause: error,
      });
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return appError('REQUEST_TIMEOUT', 'the request did not arrive in full in time', { cause: error });
    default:
      return appError('INVALID_ARGUMENT', 'malformed HTTP request', { cause: error });
  }
}

/**
 * Fastify's clientErrorHandler: the reply to a request Node's HTTP parser refused (malformed, headers over
 * the limit, too slow) is written straight to the socket, as fastify's own handler does, but with the
 * documented error body, a request id and the security headers. The connection is closed after it.
 */
export function createClientErrorHandler(
  logger: Logger,
  headers: SecurityHeaders,
): (error: Error & { code?: string }, socket: Duplex) => void {
  return (raw, socket) => {
    // A connection reset, or closed in the middle of a request (whose own handling reports it), leaves
    // nobody to answer.
    if (raw.code === 'ECONNRESET' || raw.code === 'HPE_INVALID_EOF_STATE' || socket.destroyed) {
      socket.destroy();
      return;
    }
    const error = clientErrorOf(raw);
    const requestId = randomUUID();
    logger.info(
      { requestId, code: error.code, parserCode: raw.code, reason: raw.message },
      'request refused by the HTTP parser',
    );
    if (socket.writable) {
      const body = JSON.stringify(errorBodyOf(error, requestId));
      const lines = [
        `HTTP/1.1 ${error.httpStatus} ${STATUS_CODES[error.httpStatus] ?? ''}`,
        'content-type: application/json; charset=utf-8',
        `content-length: ${Buffer.byteLength(body)}`,
        `x-request-id: ${requestId}`,
        ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
        'connection: close',
      ];
      socket.end(`${lines.join('\r\n')}\r\n\r\n${body}`, () => socket.destroy());
    } else {
      socket.destroy();
    }
  };
}

import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

const safeRequestId = /^[A-Za-z0-9._:-]{1,128}$/;

/** The caller's X-Request-Id when it is safe to echo and log, else a new UUID. */
export function requestIdOf(request: IncomingMessage): string {
  const header = request.headers['x-request-id'];
  const value = Array.isArray(header) ? header[0] : header;
  return value !== undefined && safeRequestId.test(value) ? value : randomUUID();
}

import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import helmet from 'helmet';

/** Header names and values, as set on every reply. */
export type SecurityHeaders = Readonly<Record<string, string>>;

/**
 * helmet's security headers, worked out once: with fixed options its middleware sets the same headers on
 * every reply, so it is run once against a recording response and its headers are reused, by the
 * onRequest hook and by the replies written outside fastify's hooks (HTTP parser errors, bad URLs). The
 * CSP has no `upgrade-insecure-requests`, so the docs page works over plain HTTP locally.
 */
export function securityHeaders(): SecurityHeaders {
  const applyHeaders = helmet({ contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } } });
  const request = new IncomingMessage(new Socket());
  const recorder = new ServerResponse(request);
  let failure: unknown;
  applyHeaders(request, recorder, (error?: unknown) => {
    failure = error;
  });
  if (failure !== undefined) throw failure;
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(recorder.getHeaders())) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : String(value);
  }
  return Object.freeze(headers);
}

/** Sets the security headers on every reply that goes through fastify's hooks. */
export function installSecurityHeaders(app: FastifyInstance, headers: SecurityHeaders): void {
  app.addHook('onRequest', (_request, reply, done) => {
    reply.headers(headers);
    done();
  });
}

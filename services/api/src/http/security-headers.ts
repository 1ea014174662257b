import type { FastifyInstance } from 'fastify';
import helmet from 'helmet';

/**
 * helmet's security headers on every reply. The middleware (and with it the Content-Security-Policy
 * text) is built once here: @fastify/helmet, used before, called `helmet(options)` anew for every
 * request, which showed in the upload profile. The CSP has no `upgrade-insecure-requests`, so the docs
 * page works over plain HTTP locally.
 */
export function installSecurityHeaders(app: FastifyInstance): void {
  const applyHeaders = helmet({ contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } } });
  app.addHook('onRequest', (request, reply, done) => {
    applyHeaders(request.raw, reply.raw, (error?: unknown) => {
      if (error === undefined) done();
      else done(error instanceof Error ? error : new Error(String(error)));
    });
  });
}

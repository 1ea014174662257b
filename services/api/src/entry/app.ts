import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import type { ApiConfig } from '@photo-pipeline/shared/config';
import { appError } from '@photo-pipeline/shared/errors';
import type { Logger } from '@photo-pipeline/shared/log';
import type { Metrics } from '@photo-pipeline/shared/metrics';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { uploadLimitsFrom } from '../core/upload/upload-limits.ts';
import type { JobQueue, ObjectStore } from '../core/upload/upload-ports.ts';
import { createApiKeyCheck } from '../edge/http/api-keys.ts';
import { installAuthentication } from '../edge/http/authenticate.ts';
import { armBodyIdleTimeout } from '../edge/http/body-idle-timeout.ts';
import { createClientErrorHandler } from '../edge/http/client-errors.ts';
import { clientKeyOf } from '../edge/http/client-key.ts';
import { createFrameworkErrorHandler, installErrorHandler } from '../edge/http/error-handler.ts';
import {
  createUploadSlots,
  installOverloadProtection,
  installShutdownRefusal,
} from '../edge/http/overload.ts';
import { requestIdOf } from '../edge/http/request-id.ts';
import { installRequestLog, OneLinePerRequest } from '../edge/http/request-log.ts';
import { installSecurityHeaders, securityHeaders } from '../edge/http/security-headers.ts';
import { startSlowUploadSweep } from '../edge/http/slow-upload-sweep.ts';
import { installDocs } from '../edge/routes/docs.ts';
import { healthRoutes } from '../edge/routes/health-routes.ts';
import { imagesRoute } from '../edge/routes/images-route.ts';
import { type LandingReader, landingPage } from '../edge/routes/landing-page.ts';
import { type StatusReader, statusRoutes } from '../edge/routes/status-route.ts';

export interface AppDeps {
  readonly config: ApiConfig;
  readonly logger: Logger;
  /** The uploads bucket. */
  readonly store: ObjectStore;
  /** The jobs queue. */
  readonly queue: JobQueue;
  readonly statusReader: StatusReader;
  /** The latest batches and report, for the landing page at /. */
  readonly landing: LandingReader;
  readonly metrics: Metrics;
  readonly now?: () => Date;
}

export type { ApiConfig } from '@photo-pipeline/shared/config';
export { type CreatedDeps, createAppDeps } from './create-deps.ts';

/** The upload API as a fastify instance, not listening: server.ts listens, tests use inject or listen(0). */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { config } = deps;
  const limits = uploadLimitsFrom(config);
  const apiKeys = createApiKeyCheck(config.API_KEYS);

  const headers = securityHeaders();

  const app = Fastify<Server, IncomingMessage, ServerResponse, FastifyBaseLogger>({
    loggerInstance: deps.logger,
    genReqId: requestIdOf,
    logController: new OneLinePerRequest(),
    requestTimeout: config.REQUEST_TIMEOUT_MS,
    trustProxy: config.TRUST_PROXY,
    // Refused while closing by our own hook (installShutdownRefusal), with the documented error body.
    return503OnClosing: false,
    forceCloseConnections: 'idle',
    bodyLimit: 64 * 1024,
    clientErrorHandler: createClientErrorHandler(deps.logger, headers),
    frameworkErrors: createFrameworkErrorHandler(limits, headers),
  });
  // A client that sends its whole request and then shuts down its sending side (half-close) still reads
  // the reply; Node's default closes the connection at once and the reply is lost while the upload is
  // committed. With this, the reply is written and the connection closed after it.
  Object.assign(app.server, { httpAllowHalfOpen: true });
  // Every route's schemas are the shared zod schemas: they validate requests and serialize replies.
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installRequestLog(app);
  // Set as the request starts, so every reply carries it, errors included; and a body that stalls is
  // ended, whatever answers the request (a refusal reads the rest of the body, see early-reply.ts).
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    armBodyIdleTimeout(request.raw, reply.raw, config.UPLOAD_IDLE_TIMEOUT_MS, app.server.keepAliveTimeout);
    done();
  });

  installErrorHandler(app, {
    limits,
    metrics: deps.metrics,
    maxBodyBytesAfterReply: config.MAX_UPLOAD_BYTES,
  });
  installSecurityHeaders(app, headers);
  installShutdownRefusal(app);
  await installOverloadProtection(app, {
    maxEventLoopDelayMs: config.MAX_EVENT_LOOP_DELAY_MS,
    maxConcurrentUploads: config.MAX_CONCURRENT_UPLOADS,
  });
  await app.register(rateLimit, {
    global: false,
    hook: 'preHandler',
    keyGenerator: clientKeyOf,
    errorResponseBuilder: (_request, context) =>
      appError('RATE_LIMITED', `more than ${context.max} requests per minute; retry in ${context.after}`, {
        details: { maxRequestsPerMinute: context.max },
      }),
  });
  await app.register(multipart, { throwFileSizeLimit: false });
  await installDocs(app, { apiKeysEnabled: apiKeys.enabled });

  await app.register(healthRoutes, [
    { name: 's3', check: () => deps.store.ping() },
    { name: 'sqs', check: () => deps.queue.ping() },
  ]);
  await app.register(landingPage, { reader: deps.landing, apiKeysEnabled: apiKeys.enabled });
  const slots = createUploadSlots(config.MAX_CONCURRENT_UPLOADS, config.MAX_UPLOADS_PER_CLIENT);
  const slowUploads = startSlowUploadSweep({
    minBytesPerSecond: config.UPLOAD_MIN_BYTES_PER_SECOND,
    graceMs: config.UPLOAD_IDLE_TIMEOUT_MS,
  });
  app.addHook('onClose', (_instance, done) => {
    slowUploads.close();
    done();
  });
  await app.register(async (scope) => {
    installAuthentication(scope, apiKeys, config.AUTH_FAILURES_PER_MINUTE);
    await imagesRoute(scope, {
      upload: { store: deps.store, queue: deps.queue, limits, now: deps.now ?? (() => new Date()) },
      apiKeys,
      slots,
      slowUploads,
      metrics: deps.metrics,
      rateLimitPerMinute: config.RATE_LIMIT_PER_MINUTE,
    });
    await statusRoutes(scope, deps.statusReader, { rateLimitPerMinute: config.STATUS_RATE_LIMIT_PER_MINUTE });
  });
  return app;
}

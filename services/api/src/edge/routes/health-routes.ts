import {
  type LivenessReply,
  livenessReplySchema,
  type ReadinessReply,
  readinessReplySchema,
} from '@photo-pipeline/shared/contracts';
import { appError, toAppError } from '@photo-pipeline/shared/errors';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';

export interface ReadinessCheck {
  readonly name: string;
  check(): Promise<void>;
}

const checkTimeoutMs = 2_000;

const noPressure = { pressureHandler: () => undefined };

/**
 * GET /healthz (the process is alive) and GET /readyz (S3 and SQS answer: what the ALB checks; each
 * check is `ok` or the error code of its failure).
 */
export async function healthRoutes(app: FastifyInstance, checks: readonly ReadinessCheck[]): Promise<void> {
  const routes = app.withTypeProvider<ZodTypeProvider>();
  routes.get(
    '/healthz',
    {
      config: noPressure,
      schema: {
        summary: 'Liveness',
        tags: ['health'],
        response: { 200: livenessReplySchema },
      },
    },
    async (): Promise<LivenessReply> => ({ status: 'ok' }),
  );
  routes.get(
    '/readyz',
    {
      config: noPressure,
      schema: {
        summary: 'Readiness: S3 and SQS reachable',
        tags: ['health'],
        response: {
          '2xx': readinessReplySchema,
          '5xx': readinessReplySchema,
        },
      },
    },
    async (request, reply): Promise<ReadinessReply> => {
      const results = await Promise.all(
        checks.map(async ({ name, check }) => {
          try {
            await withTimeout(check(), checkTimeoutMs, name);
            return [name, 'ok'] as const;
          } catch (raw) {
            // The probe is open to anyone: it says which check failed and how (a stable code); the
            // cause (addresses, bucket names) goes to the log.
            const error = toAppError(raw);
            request.log.warn({ err: raw, check: name, code: error.code }, 'readiness check failed');
            return [name, error.code] as const;
          }
        }),
      );
      const ready = results.every(([, state]) => state === 'ok');
      if (!ready) reply.code(503).header('retry-after', '5');
      return { status: ready ? 'ready' : 'unavailable', checks: Object.fromEntries(results) };
    },
  );
}

async function withTimeout(work: Promise<void>, ms: number, name: string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      work,
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(appError('DEPENDENCY_UNAVAILABLE', `${name} did not answer within ${ms} ms`)),
          ms,
        );
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

import {
  errorBodySchema,
  imageIdSchema,
  uploadHeadersSchema,
  uploadReplySchema,
} from '@photo-pipeline/shared/contracts';
import { PermanentError } from '@photo-pipeline/shared/errors';
import type { Metrics } from '@photo-pipeline/shared/metrics';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { acceptUpload, type UploadDeps } from '../../core/upload/accept-upload.ts';
import { parseIdempotencyKey } from '../../core/upload/idempotency.ts';
import type { ApiKeyCheck } from '../http/api-keys.ts';
import { clientGone } from '../http/client-gone.ts';
import { clientKeyOf } from '../http/client-key.ts';
import type { UploadSlots } from '../http/overload.ts';
import type { SlowUploadSweep } from '../http/slow-upload-sweep.ts';
import { incomingParts } from './incoming-parts.ts';

export interface ImagesRouteOptions {
  readonly upload: UploadDeps;
  readonly apiKeys: ApiKeyCheck;
  readonly slots: UploadSlots;
  readonly slowUploads: SlowUploadSweep;
  readonly metrics: Metrics;
  /** 0 turns rate limiting off. */
  readonly rateLimitPerMinute: number;
}

/** POST /v1/images: the upload edge. Parses the request and hands the parts to acceptUpload. */
export async function imagesRoute(app: FastifyInstance, options: ImagesRouteOptions): Promise<void> {
  app.withTypeProvider<ZodTypeProvider>().post(
    '/v1/images',
    {
      schema: {
        summary: 'Upload one or more images',
        description:
          'multipart/form-data with one or more file parts and an optional batchId field. Each file is streamed to S3 ' +
          'and one ImageUploaded message is queued per file. The type is sniffed from the bytes. All or nothing: when ' +
          'any file is refused, nothing of the request is stored or queued. Send an Idempotency-Key header to make ' +
          'retries safe: a retry with the same key returns the same image ids and queues nothing twice.',
        tags: ['images'],
        consumes: ['multipart/form-data'],
        headers: uploadHeadersSchema,
        response: {
          202: uploadReplySchema.describe('Stored and queued'),
          '4xx': errorBodySchema.describe('Refused; nothing stored'),
          '5xx': errorBodySchema.describe(
            'S3 or SQS unavailable, or overloaded; nothing stored. Retry after Retry-After',
          ),
        },
        ...(options.apiKeys.enabled ? { security: [{ bearer: [] }] } : {}),
      },
      config:
        options.rateLimitPerMinute > 0
          ? { rateLimit: { max: options.rateLimitPerMinute, timeWindow: 60_000 } }
          : {},
    },
    async (request, reply) => {
      const release = options.slots.acquire(clientKeyOf(request));
      const unwatch = options.slowUploads.watch(request.raw);
      const started = performance.now();
      try {
        const outcome = await acceptUpload(options.upload, {
          parts: incomingParts(request, options.upload.limits),
          principal: request.principal,
          idempotencyKey: parseIdempotencyKey(request.headers['idempotency-key']),
          log: request.log,
          clientGone: () => clientGone(request),
        });
        const { images } = outcome.reply;
        if (outcome.replayed) {
          reply.header('idempotent-replayed', 'true');
        } else {
          options.metrics.record([
            { name: 'UploadsAccepted', value: images.length, unit: 'Count' },
            {
              name: 'UploadBytes',
              value: images.reduce((sum, image) => sum + image.bytes, 0),
              unit: 'Bytes',
            },
            { name: 'UploadLatency', value: performance.now() - started, unit: 'Milliseconds' },
          ]);
        }
        const [first] = images;
        if (images.length === 1 && first) reply.header('location', `/v1/images/${first.imageId}`);
        // Written on the request's one log line (see edge/http/request-log.ts).
        request.logOutcome = {
          batchId: outcome.reply.batchId,
          imageIds: images.map((image) => image.imageId),
          ...(outcome.replayed ? { replayed: true } : {}),
        };
        return reply.code(202).send(outcome.reply);
      } finally {
        unwatch();
        release();
      }
    },
  );
}

/** Validates an image id path or query value. */
export function parseImageId(value: unknown): string {
  const parsed = imageIdSchema.safeParse(value);
  if (!parsed.success)
    throw new PermanentError('INVALID_ARGUMENT', `not an image id: ${String(value).slice(0, 64)}`);
  return parsed.data;
}

import {
  errorBodySchema,
  type ImageId,
  type ImageStatusReply,
  imageStatusesQuerySchema,
  imageStatusesReplySchema,
  imageStatusParamsSchema,
  imageStatusReplySchema,
} from '@photo-pipeline/shared/contracts';
import { PermanentError } from '@photo-pipeline/shared/errors';
import type { ImageStatusEntry } from '@photo-pipeline/shared/results-store';
import type { FastifyContextConfig, FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { parseImageId } from './images-route.ts';

/** The part of the results store the API reads: statuses of image ids. */
export interface StatusReader {
  getImageStatuses(imageIds: readonly ImageId[]): Promise<ImageStatusEntry[]>;
}

const maxIdsPerQuery = 100;

const toStatus = (entry: ImageStatusEntry): ImageStatusReply =>
  'row' in entry ? { imageId: entry.imageId, status: entry.status, result: entry.row } : entry;

/** GET /v1/images/{imageId} (the Location of an upload) and GET /v1/images?ids=a,b,c for polling. */
export async function statusRoutes(
  app: FastifyInstance,
  reader: StatusReader,
  options: { readonly rateLimitPerMinute: number },
): Promise<void> {
  const routes = app.withTypeProvider<ZodTypeProvider>();
  const errorResponse = errorBodySchema.describe('Refused');
  // Counted per API key or client address, like uploads, for each of the two routes.
  const config: FastifyContextConfig =
    options.rateLimitPerMinute > 0
      ? { rateLimit: { max: options.rateLimitPerMinute, timeWindow: 60_000 } }
      : {};
  routes.get(
    '/v1/images/:imageId',
    {
      config,
      schema: {
        summary: "One image's processing status",
        tags: ['images'],
        params: imageStatusParamsSchema,
        response: { 200: imageStatusReplySchema, '4xx': errorResponse, '5xx': errorResponse },
      },
    },
    async (request) => {
      const [entry] = await reader.getImageStatuses([parseImageId(request.params.imageId)]);
      if (!entry) throw new PermanentError('INTERNAL', 'the results store returned no entry');
      return toStatus(entry);
    },
  );
  routes.get(
    '/v1/images',
    {
      config,
      schema: {
        summary: 'Processing statuses of up to 100 images',
        tags: ['images'],
        querystring: imageStatusesQuerySchema,
        response: { 200: imageStatusesReplySchema, '4xx': errorResponse, '5xx': errorResponse },
      },
    },
    async (request) => {
      const ids = request.query.ids
        .split(',')
        .filter((id) => id.length > 0)
        .map(parseImageId);
      if (ids.length === 0 || ids.length > maxIdsPerQuery) {
        throw new PermanentError(
          'INVALID_ARGUMENT',
          `ids: give 1 to ${maxIdsPerQuery} comma-separated image ids`,
        );
      }
      return { images: (await reader.getImageStatuses(ids)).map(toStatus) };
    },
  );
}

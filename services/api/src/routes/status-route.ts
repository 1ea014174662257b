import type { ImageId } from '@photo-pipeline/shared/contracts';
import { PermanentError } from '@photo-pipeline/shared/errors';
import type { ImageStatusEntry } from '@photo-pipeline/shared/results-store';
import type { FastifyInstance } from 'fastify';
import { errorBodySchema, jsonSchemaOf } from '../schemas/error-body.ts';
import { parseImageId } from './images-route.ts';

/** The part of the results store the API reads: statuses of image ids. */
export interface StatusReader {
  getImageStatuses(imageIds: readonly ImageId[]): Promise<ImageStatusEntry[]>;
}

const maxIdsPerQuery = 100;

const statusSchema = {
  type: 'object',
  required: ['imageId', 'status'],
  properties: {
    imageId: { type: 'string' },
    status: { type: 'string', enum: ['SUCCEEDED', 'FAILED', 'PENDING', 'UNKNOWN'] },
    result: { type: 'object', additionalProperties: true, description: 'The result row, when there is one' },
  },
} as const;

const toStatus = (entry: ImageStatusEntry) =>
  'row' in entry ? { imageId: entry.imageId, status: entry.status, result: entry.row } : entry;

/** GET /v1/images/{imageId} (the Location of an upload) and GET /v1/images?ids=a,b,c for polling. */
export async function statusRoutes(
  app: FastifyInstance,
  reader: StatusReader,
  options: { readonly rateLimitPerMinute: number },
): Promise<void> {
  const errorResponse = { description: 'Refused', ...jsonSchemaOf(errorBodySchema) };
  // Counted per API key or client address, like uploads, for each of the two routes.
  const config =
    options.rateLimitPerMinute > 0
      ? { rateLimit: { max: options.rateLimitPerMinute, timeWindow: 60_000 } }
      : {};
  app.get<{ Params: { imageId: string } }>(
    '/v1/images/:imageId',
    {
      config,
      schema: {
        summary: "One image's processing status",
        tags: ['images'],
        params: { type: 'object', properties: { imageId: { type: 'string' } }, required: ['imageId'] },
        response: { 200: statusSchema, '4xx': errorResponse, '5xx': errorResponse },
      },
    },
    async (request) => {
      const [entry] = await reader.getImageStatuses([parseImageId(request.params.imageId)]);
      if (!entry) throw new PermanentError('INTERNAL', 'the results store returned no entry');
      return toStatus(entry);
    },
  );
  app.get<{ Querystring: { ids?: string } }>(
    '/v1/images',
    {
      config,
      schema: {
        summary: 'Processing statuses of up to 100 images',
        tags: ['images'],
        querystring: {
          type: 'object',
          properties: { ids: { type: 'string', description: 'comma-separated image ids' } },
          required: ['ids'],
        },
        response: {
          200: { type: 'object', properties: { images: { type: 'array', items: statusSchema } } },
          '4xx': errorResponse,
          '5xx': errorResponse,
        },
      },
    },
    async (request) => {
      const ids = (request.query.ids ?? '')
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

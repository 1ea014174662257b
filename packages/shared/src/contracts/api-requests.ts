import { z } from 'zod';
import { batchIdSchema } from './ids.ts';

/**
 * The multipart form of POST /v1/images. The API reads its parts as a stream (one file at a time, checked
 * as it arrives), so this schema documents the form rather than validates it.
 */
export const uploadFormSchema = z.object({
  files: z.array(z.string().meta({ format: 'binary' })).describe('one or more images'),
  batchId: batchIdSchema
    .optional()
    .describe('groups the files of one client run; made by the API when absent'),
});

/** The headers of POST /v1/images the API reads besides the multipart ones (the others are kept). */
export const uploadHeadersSchema = z.looseObject({
  'idempotency-key': z.string().optional().describe('1-255 visible ASCII characters'),
});

/** GET /v1/images/{imageId}; the route refuses a value that is not an image id. */
export const imageStatusParamsSchema = z.object({ imageId: z.string() });

/** GET /v1/images?ids=a,b,c; the route takes 1 to 100 image ids. */
export const imageStatusesQuerySchema = z.object({ ids: z.string().describe('comma-separated image ids') });

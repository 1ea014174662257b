import { imageStatusSchema, readinessReplySchema } from '@photo-pipeline/shared/contracts';
import { z } from 'zod';

export { imageStatusSchema, readinessReplySchema };

/**
 * What the client reads from the API's replies, checked at the boundary. Loose on purpose: fields the
 * client does not use may be added to the API without breaking it.
 */
export const uploadReplySchema = z.object({
  batchId: z.string(),
  images: z.array(z.object({ imageId: z.string(), key: z.string() })).min(1),
});

export const statusReplySchema = z.object({
  images: z.array(
    z.object({
      imageId: z.string(),
      status: imageStatusSchema,
      result: z.record(z.string(), z.unknown()).optional(),
    }),
  ),
});

export const errorReplySchema = z.object({
  error: z.object({ code: z.string(), message: z.string(), retryable: z.boolean().optional() }),
});

/** A reply body as JSON, or undefined when it is not JSON (a proxy's HTML page, S3's XML). */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

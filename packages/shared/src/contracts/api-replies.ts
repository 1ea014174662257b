import { z } from 'zod';
import { imageIdSchema } from './ids.ts';
import { imageStatusSchema, resultRowSchema } from './result-row.ts';

/** Every error reply of the API: a stable code from the catalogue, a readable message and the request id. */
export const errorBodySchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    requestId: z.string(),
    retryable: z.boolean(),
    details: z.record(z.string(), z.unknown()).optional(),
  }),
});
export type ErrorBody = z.output<typeof errorBodySchema>;

/** GET /v1/images/{imageId}: an image's status, and its result row once it has one. */
export const imageStatusReplySchema = z.object({
  imageId: imageIdSchema,
  status: imageStatusSchema,
  result: resultRowSchema.optional().describe('The result row, when there is one'),
});
export type ImageStatusReply = z.output<typeof imageStatusReplySchema>;

/** GET /v1/images?ids=...: the statuses of the ids asked for, in the order given. */
export const imageStatusesReplySchema = z.object({ images: z.array(imageStatusReplySchema) });

/** GET /healthz: the process is alive. */
export const livenessReplySchema = z.object({ status: z.literal('ok') });
export type LivenessReply = z.output<typeof livenessReplySchema>;

/** GET /readyz: 200 ready or 503 unavailable, with each dependency's state (`ok` or an error code). */
export const readinessReplySchema = z.object({
  status: z.enum(['ready', 'unavailable']),
  checks: z.record(z.string(), z.string()),
});
export type ReadinessReply = z.output<typeof readinessReplySchema>;

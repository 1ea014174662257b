import { z } from 'zod';
import { imageUploadedV1Schema, sha256HexSchema } from './image-uploaded.ts';
import { uploadReplySchema } from './upload-reply.ts';

/**
 * The API's Idempotency-Key markers live in the uploads bucket under this prefix (a lifecycle rule
 * expires them after 24 h on AWS); the orphan sweeper reads them to keep the files they still hold.
 */
export const idempotencyPrefix = 'idempotency/';

/**
 * `queueing`: the request is storing and queueing (or died doing so, once stale); `unsent`: SQS took only
 * some of its messages, so its files are kept and a retry sends every message again at once (same image
 * ids) instead of storing and queueing the files again under new ones; `completed`: replay the reply.
 */
export const idempotencyMarkerSchema = z.object({
  version: z.literal(1),
  state: z.enum(['queueing', 'unsent', 'completed']),
  createdAt: z.iso.datetime({ offset: true }),
  /** The API's requestFingerprint() of the request that made it; absent in markers from before it existed. */
  fingerprint: sha256HexSchema.optional(),
  reply: uploadReplySchema,
  messages: z.array(imageUploadedV1Schema),
});
export type IdempotencyMarker = z.output<typeof idempotencyMarkerSchema>;

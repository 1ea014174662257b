import { z } from 'zod';
import { batchIdSchema, imageIdSchema } from './ids.ts';
import { imageContentTypeSchema } from './image-types.ts';
import { sha256HexSchema } from './image-uploaded.ts';

/** One stored and queued file, as the API reports it. */
export const uploadedImageSchema = z.object({
  imageId: imageIdSchema,
  batchId: batchIdSchema,
  bucket: z.string(),
  key: z.string(),
  contentType: imageContentTypeSchema,
  bytes: z.number().int().nonnegative(),
  sha256: sha256HexSchema,
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  /** The client's filename, display only. */
  originalName: z.string(),
  uploadedAt: z.iso.datetime({ offset: true }),
});

/** The 202 reply of POST /v1/images: every file of the request, in the order sent. */
export const uploadReplySchema = z.object({
  batchId: batchIdSchema,
  images: z.array(uploadedImageSchema).min(1),
});
export type UploadReply = z.output<typeof uploadReplySchema>;

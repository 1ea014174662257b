import { z } from 'zod';
import { PermanentError } from '../errors/app-error.ts';
import { batchIdSchema, imageIdSchema } from './ids.ts';
import { imageContentTypeSchema } from './image-types.ts';
import { objectKeys } from './object-keys.ts';

export const sha256HexSchema = z
  .string()
  .regex(/^[a-f0-9]{64}$/, { message: 'expected a lowercase hex SHA-256' });

/**
 * ImageUploaded v1: the SQS message body the API sends for each stored file and the processor consumes.
 * Unknown extra fields are ignored, so a v1 consumer tolerates additive changes.
 */
export const imageUploadedV1Schema = z
  .object({
    type: z.literal('ImageUploaded'),
    version: z.literal(1),
    imageId: imageIdSchema,
    batchId: batchIdSchema,
    bucket: z.string().min(3).max(63),
    key: z.string().min(1).max(1024),
    /** Sniffed from the bytes by the API. */
    contentType: imageContentTypeSchema,
    bytes: z.number().int().nonnegative(),
    sha256: sha256HexSchema,
    /** The client's filename, for display only; never part of a key. */
    originalName: z.string().max(1024),
    uploadedAt: z.iso.datetime({ offset: true }),
  })
  // The key is derived from the image id, never chosen by the sender: a message naming another
  // image's object must not produce a row for this id.
  .refine((message) => message.key === objectKeys.original(message.imageId), {
    path: ['key'],
    message: 'must be the key derived from imageId (originals/<imageId>)',
  });

export type ImageUploadedV1 = z.output<typeof imageUploadedV1Schema>;

/**
 * Parses an SQS message body into an ImageUploaded v1 message. Anything else (not JSON, another type or
 * version, a bad field) is a permanent MESSAGE_INVALID error naming what is wrong.
 */
export function parseImageUploaded(body: string | undefined): ImageUploadedV1 {
  let json: unknown;
  try {
    json = JSON.parse(body ?? '');
  } catch (cause) {
    throw new PermanentError('MESSAGE_INVALID', 'message body is not JSON', { cause });
  }
  const parsed = imageUploadedV1Schema.safeParse(json);
  if (!parsed.success) {
    const fields = parsed.error.issues.map(
      (issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`,
    );
    throw new PermanentError('MESSAGE_INVALID', `message is not an ImageUploaded v1: ${fields.join('; ')}`, {
      details: { fields: parsed.error.issues.map((issue) => issue.path.join('.')) },
    });
  }
  return parsed.data;
}

/**
 * The message body: JSON with every character outside printable ASCII written as a \uXXXX escape.
 * SQS refuses some characters in a body (U+FFFF and other non-characters on AWS, every character beyond
 * U+FFFF in the emulator), and a file name is whatever the client sent; escaped, any name travels, and
 * JSON.parse gives it back exactly, so the row and the results show the name as the client wrote it.
 */
export function serializeImageUploaded(message: ImageUploadedV1): string {
  return JSON.stringify(imageUploadedV1Schema.parse(message)).replace(
    /[^\x20-\x7e]/g,
    (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

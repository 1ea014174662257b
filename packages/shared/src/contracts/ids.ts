import { monotonicFactory } from 'ulid';
import { z } from 'zod';

const ulidPattern = /^[0-9A-HJKMNP-TV-Z]{26}$/;

/** An image id: a ULID made by the API, so ids sort by upload time. */
export const imageIdSchema = z
  .string()
  .regex(ulidPattern, { message: 'expected a ULID (26 Crockford base32 characters)' });
export type ImageId = z.output<typeof imageIdSchema>;

/** A batch id: given by the client or made by the API; safe to use in object keys. */
export const batchIdSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/, {
  message:
    'expected 1-128 characters: letters, digits, dot, dash, underscore, starting with a letter or digit',
});
export type BatchId = z.output<typeof batchIdSchema>;

const nextUlid = monotonicFactory();

export function newImageId(now: number = Date.now()): ImageId {
  return nextUlid(now);
}

export function newBatchId(now: number = Date.now()): BatchId {
  return nextUlid(now);
}

/** The UTC day (YYYY-MM-DD) of an ISO timestamp, the partition of the upload-day index. */
export function uploadDayOf(isoTimestamp: string): string {
  return isoTimestamp.slice(0, 10);
}

import { randomFillSync } from 'node:crypto';
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

/**
 * Random numbers for ULIDs from a pool refilled 4 KiB at a time: ulid's default source calls
 * crypto.getRandomValues once per character (16 calls per id), which showed in the API's profile.
 */
function pooledRandom(): () => number {
  const pool = Buffer.alloc(4096);
  let offset = pool.length;
  return () => {
    if (offset + 4 > pool.length) {
      randomFillSync(pool);
      offset = 0;
    }
    const value = pool.readUInt32LE(offset);
    offset += 4;
    return value / 2 ** 32;
  };
}

const nextUlid = monotonicFactory(pooledRandom());

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

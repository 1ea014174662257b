import { createHash } from 'node:crypto';
import {
  type IdempotencyMarker,
  idempotencyMarkerSchema,
  idempotencyPrefix,
} from '@photo-pipeline/shared/contracts';
import { PermanentError } from '@photo-pipeline/shared/errors';
import { z } from 'zod';

/**
 * A `queueing` marker older than this belongs to a request that died between storing its marker and
 * finishing; a retry then sends its messages again (same image ids, so the processor's per-image
 * idempotency absorbs a duplicate) and completes it.
 */
export const staleQueueingAfterMs = 30_000;

export const idempotencyKeySchema = z
  .string()
  .min(1)
  .max(255)
  .regex(/^[\x21-\x7e]+$/, { message: 'expected 1-255 visible ASCII characters' });

/**
 * Where a key's marker lives: a hash of who asked (a digest of the API key, or "open") and the key, so
 * two clients cannot see each other's replies and no client text ends up in an object key.
 */
export function idempotencyMarkerKey(principal: string, idempotencyKey: string): string {
  const digest = createHash('sha256').update(`${principal}\n${idempotencyKey}`).digest('hex');
  return `${idempotencyPrefix}${digest}.json`;
}

export function parseIdempotencyKey(header: string | string[] | undefined): string | undefined {
  if (header === undefined) return undefined;
  const value = Array.isArray(header) ? header.join(',') : header;
  const parsed = idempotencyKeySchema.safeParse(value);
  if (!parsed.success) {
    throw new PermanentError('INVALID_ARGUMENT', 'Idempotency-Key: expected 1-255 visible ASCII characters');
  }
  return parsed.data;
}

export function parseMarker(value: unknown, key: string): IdempotencyMarker {
  const parsed = idempotencyMarkerSchema.safeParse(value);
  if (!parsed.success) {
    throw new PermanentError('INTERNAL', `idempotency marker ${key} does not match its schema`);
  }
  return parsed.data;
}

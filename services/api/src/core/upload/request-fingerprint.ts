import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { batchIdSchema } from '@photo-pipeline/shared/contracts';
import { appError } from '@photo-pipeline/shared/errors';
import type { IncomingPart } from './incoming-part.ts';
import type { UploadLimits } from './upload-limits.ts';

/**
 * What an Idempotency-Key is bound to: the SHA-256 of each file, in order, and the batchId field as the
 * client sent it (absent when the API made one). A retry must match it; a different request under the
 * same key is refused (IDEMPOTENCY_KEY_REUSED), as Stripe and the IETF Idempotency-Key draft do.
 */
export function requestFingerprint(batchIdField: string | undefined, fileSha256s: readonly string[]): string {
  return createHash('sha256')
    .update(JSON.stringify({ batchId: batchIdField ?? null, files: fileSha256s }))
    .digest('hex');
}

/**
 * The fingerprint of a request whose files are not stored (a replay): its parts are read to the end,
 * each file hashed as it passes and dropped. The batchId field is held to the same rules as an upload's.
 */
export async function fingerprintOfParts(
  parts: AsyncIterable<IncomingPart>,
  limits: UploadLimits,
): Promise<string> {
  let batchIdField: string | undefined;
  const files: string[] = [];
  for await (const part of parts) {
    if (part.kind === 'field') batchIdField = readBatchIdField(limits, part, batchIdField);
    else files.push(await sha256Of(part.stream));
  }
  return requestFingerprint(batchIdField, files);
}

/** The batchId field's value, checked; other fields are ignored (`previous` is kept). */
export function readBatchIdField(
  limits: UploadLimits,
  part: Extract<IncomingPart, { kind: 'field' }>,
  previous?: string,
): string | undefined {
  if (part.name !== 'batchId') return previous;
  if (part.truncated) {
    throw appError('PAYLOAD_TOO_LARGE', `field batchId is over ${limits.maxFieldBytes} bytes`);
  }
  if (previous !== undefined) throw appError('INVALID_ARGUMENT', 'field batchId is given twice');
  const parsed = batchIdSchema.safeParse(part.value);
  if (!parsed.success) {
    throw appError('INVALID_ARGUMENT', `field batchId: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  }
  return parsed.data;
}

async function sha256Of(stream: Readable): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of stream) hash.update(chunk);
  return hash.digest('hex');
}

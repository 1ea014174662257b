import { idempotencyMarkerKey } from './idempotency.ts';
import { type IdempotentOutcome, withIdempotency } from './idempotent-upload.ts';
import { type StoreAndQueueRequest, storeAndQueue, type UploadDeps } from './store-and-queue.ts';

export type { UploadDeps, UploadLog } from './store-and-queue.ts';

export interface UploadRequest extends StoreAndQueueRequest {
  /** Who is asking (a digest of the API key, or "open"): scopes idempotency keys. */
  readonly principal: string;
  readonly idempotencyKey?: string | undefined;
}

export type UploadOutcome = IdempotentOutcome;

/**
 * POST /v1/images's use case: the upload stored and queued (store-and-queue.ts), under its
 * Idempotency-Key when it has one (idempotent-upload.ts).
 */
export async function acceptUpload(deps: UploadDeps, request: UploadRequest): Promise<UploadOutcome> {
  if (request.idempotencyKey === undefined) {
    return { reply: await storeAndQueue(deps, request), replayed: false };
  }
  return withIdempotency(deps, request, idempotencyMarkerKey(request.principal, request.idempotencyKey));
}

import type { IdempotencyMarker } from '@photo-pipeline/shared/contracts';
import { appError, toAppError } from '@photo-pipeline/shared/errors';
import { parseMarker, staleQueueingAfterMs } from './idempotency.ts';
import { fingerprintOfParts, requestFingerprint } from './request-fingerprint.ts';
import {
  queueUpload,
  rollBack,
  type StagedUpload,
  type StoreAndQueueRequest,
  storeUpload,
  type UploadDeps,
  type UploadLog,
} from './store-and-queue.ts';

export interface IdempotentOutcome {
  readonly reply: StagedUpload['reply'];
  /** True when the reply is the stored one of an earlier request with the same Idempotency-Key. */
  readonly replayed: boolean;
}

/**
 * The store-and-queue use case under an Idempotency-Key, whose marker (an S3 object at `markerKey`)
 * records the request's fingerprint, reply and messages. An earlier marker is answered from (replay or
 * refusal) before anything is stored; otherwise the files are stored, the key is claimed with a
 * `queueing` marker, the messages are sent and the marker completed. A failure releases the key, except
 * when SQS took part of the upload: the marker is then kept `unsent`, for a retry to finish it.
 */
export async function withIdempotency(
  deps: UploadDeps,
  request: StoreAndQueueRequest,
  markerKey: string,
): Promise<IdempotentOutcome> {
  const earlier = await readMarker(deps, markerKey);
  if (earlier) {
    return replay(deps, request.log, markerKey, earlier, () =>
      fingerprintOfParts(request.parts, deps.limits),
    );
  }

  const staged = await storeUpload(deps, request);
  const fingerprint = requestFingerprint(
    staged.batchIdField,
    staged.files.map((file) => file.sha256),
  );
  const marker: IdempotencyMarker = {
    version: 1,
    state: 'queueing',
    createdAt: deps.now().toISOString(),
    fingerprint,
    reply: staged.reply,
    messages: [...staged.messages],
  };
  const claimed = await claimMarker(deps, markerKey, marker, staged, request.log);
  if (claimed !== 'claimed') return replay(deps, request.log, markerKey, claimed, async () => fingerprint);

  await queueUpload(deps, request.log, staged, {
    keepPartlyQueued: () => markUnsent(deps, markerKey, marker, request.log),
    abandoned: () => rollBack(deps, request.log, [markerKey]),
  });
  try {
    await deps.store.putJson(markerKey, { ...marker, state: 'completed' });
  } catch (error) {
    // Every message is queued, so the answer is 202 all the same; the marker stays `queueing`, and a
    // retry of this key re-sends the same messages (same image ids) before replaying.
    request.log.warn({ err: error, markerKey }, 'idempotency marker not completed');
  }
  return { reply: staged.reply, replayed: false };
}

async function readMarker(deps: UploadDeps, markerKey: string): Promise<IdempotencyMarker | undefined> {
  const value = await deps.store.getJson(markerKey);
  return value === undefined ? undefined : parseMarker(value, markerKey);
}

/**
 * Claims the key with a conditional write. On S3 only one of two racing requests wins; the loser deletes
 * what it stored and answers with the winner's marker. An emulator without conditional writes lets both
 * win, so there only the read before the upload protects (sequential retries, not concurrent ones).
 */
async function claimMarker(
  deps: UploadDeps,
  markerKey: string,
  marker: IdempotencyMarker,
  staged: StagedUpload,
  log: UploadLog,
): Promise<'claimed' | IdempotencyMarker> {
  const keys = staged.files.map((file) => file.key);
  let result: 'written' | 'exists';
  try {
    result = await deps.store.putJson(markerKey, marker, { onlyIfAbsent: true });
  } catch (error) {
    await rollBack(deps, log, keys);
    throw toAppError(error);
  }
  if (result === 'written') return 'claimed';
  await rollBack(deps, log, keys);
  const winner = await readMarker(deps, markerKey);
  if (!winner) {
    throw appError(
      'IDEMPOTENCY_KEY_IN_USE',
      'a request with this Idempotency-Key is in progress; retry shortly',
    );
  }
  return winner;
}

/**
 * Answers a request whose key has a marker: the stored reply, once the request is shown to be the same
 * one (its fingerprint: the files' SHA-256 and the batchId; a different one is refused with nothing
 * stored), after finishing an upload that was left queueing or unsent. `fingerprintOf` reads what is
 * left of the request's body where its files were not stored.
 */
async function replay(
  deps: UploadDeps,
  log: UploadLog,
  markerKey: string,
  marker: IdempotencyMarker,
  fingerprintOf: () => Promise<string>,
): Promise<IdempotentOutcome> {
  const age = deps.now().getTime() - Date.parse(marker.createdAt);
  if (marker.state === 'queueing' && age < staleQueueingAfterMs) {
    throw appError(
      'IDEMPOTENCY_KEY_IN_USE',
      'a request with this Idempotency-Key is in progress; retry shortly',
    );
  }
  const fingerprint = await fingerprintOf();
  // Markers written before fingerprints existed (they expire within a day) are replayed as before.
  if (marker.fingerprint !== undefined && marker.fingerprint !== fingerprint) {
    throw appError(
      'IDEMPOTENCY_KEY_REUSED',
      'this Idempotency-Key was used for a different request (other files or batchId); use a new key',
    );
  }
  if (marker.state !== 'completed') {
    const outcome = await deps.queue.send(marker.messages);
    if (outcome.failure) throw outcome.failure;
    await deps.store.putJson(markerKey, { ...marker, state: 'completed' });
    log.info({ markerKey, images: marker.messages.length }, 'finished an interrupted idempotent upload');
  }
  return { reply: marker.reply, replayed: true };
}

/** Marks a partly queued upload for completion by a retry; false when the marker cannot be written. */
async function markUnsent(
  deps: UploadDeps,
  markerKey: string,
  marker: IdempotencyMarker,
  log: UploadLog,
): Promise<boolean> {
  try {
    await deps.store.putJson(markerKey, { ...marker, state: 'unsent' });
    return true;
  } catch (error) {
    log.error({ err: error, markerKey }, 'could not mark a partly queued upload; rolling it back');
    return false;
  }
}

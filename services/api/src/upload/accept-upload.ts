import {
  type IdempotencyMarker,
  type ImageUploadedV1,
  newBatchId,
  newImageId,
  type UploadReply,
} from '@photo-pipeline/shared/contracts';
import { type AppError, appError, PermanentError, toAppError } from '@photo-pipeline/shared/errors';
import { idempotencyMarkerKey, parseMarker, staleQueueingAfterMs } from './idempotency.ts';
import type { IncomingPart } from './incoming-part.ts';
import type { JobQueue } from './job-queue.ts';
import type { ObjectStore } from './object-store.ts';
import { fingerprintOfParts, readBatchIdField, requestFingerprint } from './request-fingerprint.ts';
import { type StoredFile, storeFile } from './store-file.ts';
import type { UploadLimits } from './upload-limits.ts';

/** The logging this flow needs; pino and fastify's request logger both fit. */
export interface UploadLog {
  debug(context: object, message: string): void;
  info(context: object, message: string): void;
  warn(context: object, message: string): void;
  error(context: object, message: string): void;
}

export interface UploadDeps {
  readonly store: ObjectStore;
  readonly queue: JobQueue;
  readonly limits: UploadLimits;
  readonly now: () => Date;
}

export interface UploadRequest {
  readonly parts: AsyncIterable<IncomingPart>;
  /** Who is asking (a digest of the API key, or "open"): scopes idempotency keys. */
  readonly principal: string;
  readonly idempotencyKey?: string | undefined;
  readonly log: UploadLog;
  /** True once the client can no longer read the reply; nothing is queued for it then. */
  readonly clientGone?: () => boolean;
}

export interface UploadOutcome {
  readonly reply: UploadReply;
  /** True when the reply is the stored one of an earlier request with the same Idempotency-Key. */
  readonly replayed: boolean;
}

/**
 * Accepts one upload request: streams each file to S3, then queues one ImageUploaded message per file.
 * All or nothing: when any file or step fails, every object stored for the request is deleted and no
 * message is left queued (except in the one case SQS accepts part of a batch, see README).
 */
export async function acceptUpload(deps: UploadDeps, request: UploadRequest): Promise<UploadOutcome> {
  const markerKey =
    request.idempotencyKey === undefined
      ? undefined
      : idempotencyMarkerKey(request.principal, request.idempotencyKey);
  if (markerKey) {
    const earlier = await readMarker(deps, markerKey);
    if (earlier) {
      return replay(deps, request, markerKey, earlier, () => fingerprintOfParts(request.parts, deps.limits));
    }
  }

  const stored: StoredFile[] = [];
  let batchIdField: string | undefined;
  try {
    for await (const part of request.parts) {
      if (part.kind === 'field') {
        batchIdField = readBatchIdField(deps.limits, part, batchIdField);
        continue;
      }
      if (stored.length >= deps.limits.maxFilesPerRequest) {
        throw new PermanentError(
          'TOO_MANY_FILES',
          `at most ${deps.limits.maxFilesPerRequest} files per request`,
        );
      }
      const imageId = newImageId(deps.now().getTime());
      const file = await storeFile(deps.store, deps.limits, {
        imageId,
        stream: part.stream,
        originalName: part.filename.slice(0, 1024),
        now: deps.now,
      });
      stored.push(file);
      request.log.debug({ imageId, bytes: file.bytes, contentType: file.contentType }, 'file stored');
    }
    if (stored.length === 0) {
      throw new PermanentError(
        'INVALID_ARGUMENT',
        'the request has no file part; send files as multipart/form-data',
      );
    }
  } catch (error) {
    await rollBack(
      deps,
      request.log,
      stored.map((file) => file.key),
    );
    throw toAppError(error);
  }

  const batchId = batchIdField ?? newBatchId(deps.now().getTime());
  const messages = stored.map((file): ImageUploadedV1 => toMessage(deps.store.bucket, batchId, file));
  const reply: UploadReply = {
    batchId,
    images: stored.map((file) => ({
      imageId: file.imageId,
      batchId,
      bucket: deps.store.bucket,
      key: file.key,
      contentType: file.contentType,
      bytes: file.bytes,
      sha256: file.sha256,
      width: file.width,
      height: file.height,
      originalName: file.originalName,
      uploadedAt: file.uploadedAt,
    })),
  };
  const keys = stored.map((file) => file.key);
  // Queueing is the commit: a client that is no longer there to be answered gets nothing queued.
  if (request.clientGone?.()) {
    await rollBack(deps, request.log, keys);
    throw appError('UPLOAD_ABORTED', 'the client closed the connection before its upload was queued');
  }

  const fingerprint = requestFingerprint(
    batchIdField,
    stored.map((file) => file.sha256),
  );
  const marker: IdempotencyMarker = {
    version: 1,
    state: 'queueing',
    createdAt: deps.now().toISOString(),
    fingerprint,
    reply,
    messages,
  };
  if (markerKey) {
    const claimed = await claimMarker(deps, markerKey, marker, keys, request.log);
    if (claimed !== 'claimed') return replay(deps, request, markerKey, claimed, async () => fingerprint);
  }

  const outcome = await deps.queue.send(messages);
  if (outcome.failure) {
    // Some images are queued already: with a key, keep everything so that a retry completes this upload
    // (the same image ids) rather than storing and queueing the files again under new ones.
    if (markerKey && outcome.sentImageIds.length > 0) {
      if (await markUnsent(deps, markerKey, marker, request.log)) {
        throw withQueued(outcome.failure, outcome.sentImageIds);
      }
    }
    const sent = new Set(outcome.sentImageIds);
    await rollBack(
      deps,
      request.log,
      stored.filter((file) => !sent.has(file.imageId)).map((file) => file.key),
    );
    if (markerKey) await rollBack(deps, request.log, [markerKey]);
    throw withQueued(outcome.failure, outcome.sentImageIds);
  }

  if (markerKey) {
    try {
      await deps.store.putJson(markerKey, { ...marker, state: 'completed' });
    } catch (error) {
      // Every message is queued, so the answer is 202 all the same; the marker stays `queueing`, and a
      // retry of this key re-sends the same messages (same image ids) before replaying.
      request.log.warn({ err: error, markerKey }, 'idempotency marker not completed');
    }
  }
  return { reply, replayed: false };
}

function toMessage(bucket: string, batchId: string, file: StoredFile): ImageUploadedV1 {
  return {
    type: 'ImageUploaded',
    version: 1,
    imageId: file.imageId,
    batchId,
    bucket,
    key: file.key,
    contentType: file.contentType,
    bytes: file.bytes,
    sha256: file.sha256,
    originalName: file.originalName,
    uploadedAt: file.uploadedAt,
  };
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
  keys: readonly string[],
  log: UploadLog,
): Promise<'claimed' | IdempotencyMarker> {
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
  request: UploadRequest,
  markerKey: string,
  marker: IdempotencyMarker,
  fingerprintOf: () => Promise<string>,
): Promise<UploadOutcome> {
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
    request.log.info(
      { markerKey, images: marker.messages.length },
      'finished an interrupted idempotent upload',
    );
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

async function rollBack(deps: UploadDeps, log: UploadLog, keys: readonly string[]): Promise<void> {
  if (keys.length === 0) return;
  try {
    await deps.store.deleteKeys(keys);
  } catch (error) {
    // The request fails with its own error either way; what could not be deleted is logged for cleanup.
    log.error({ err: error, keys }, 'could not delete objects of a failed upload');
  }
}

function withQueued(error: AppError, queuedImageIds: readonly string[]): AppError {
  if (queuedImageIds.length === 0) return error;
  return appError(
    error.code,
    `${error.message}; these images were queued all the same: ${queuedImageIds.join(', ')}`,
    {
      cause: error,
      details: { ...error.details, queuedImageIds },
    },
  );
}

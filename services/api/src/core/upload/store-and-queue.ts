import {
  type ImageUploadedV1,
  newBatchId,
  newImageId,
  type UploadReply,
} from '@photo-pipeline/shared/contracts';
import { type AppError, appError, PermanentError, toAppError } from '@photo-pipeline/shared/errors';
import type { IncomingPart } from './incoming-part.ts';
import { readBatchIdField } from './request-fingerprint.ts';
import { type StoredFile, storeFile } from './store-file.ts';
import type { UploadLimits } from './upload-limits.ts';
import type { JobQueue, ObjectStore } from './upload-ports.ts';

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

export interface StoreAndQueueRequest {
  readonly parts: AsyncIterable<IncomingPart>;
  readonly log: UploadLog;
  /** True once the client can no longer read the reply; nothing is queued for it then. */
  readonly clientGone?: () => boolean;
}

/** An upload whose files are all stored and whose messages are not sent yet. */
export interface StagedUpload {
  readonly reply: UploadReply;
  readonly messages: readonly ImageUploadedV1[];
  readonly files: readonly StoredFile[];
  /** The batchId field as the client sent it; undefined when the API made the batch id. */
  readonly batchIdField: string | undefined;
}

export interface QueueOptions {
  /**
   * Asked when SQS took some of the messages but not all: true keeps every stored file, so that a later
   * request can send the rest under the same image ids; otherwise the files not queued are deleted.
   */
  readonly keepPartlyQueued?: () => Promise<boolean>;
  /** Called when a failed send gives the upload up, after its files not queued are deleted. */
  readonly abandoned?: () => Promise<void>;
}

/**
 * Accepts one upload request: streams each file to S3, then queues one ImageUploaded message per file.
 * All or nothing: when any file or step fails, every object stored for the request is deleted and no
 * message is left queued (except in the one case SQS accepts part of a batch, see README).
 */
export async function storeAndQueue(deps: UploadDeps, request: StoreAndQueueRequest): Promise<UploadReply> {
  const staged = await storeUpload(deps, request);
  await queueUpload(deps, request.log, staged);
  return staged.reply;
}

/** Stores every file of the request and makes its reply and messages; a failure deletes what it stored. */
export async function storeUpload(deps: UploadDeps, request: StoreAndQueueRequest): Promise<StagedUpload> {
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
  // Queueing is the commit: a client that is no longer there to be answered gets nothing queued.
  if (request.clientGone?.()) {
    await rollBack(
      deps,
      request.log,
      stored.map((file) => file.key),
    );
    throw appError('UPLOAD_ABORTED', 'the client closed the connection before its upload was queued');
  }
  return { reply, messages, files: stored, batchIdField };
}

/**
 * Sends the staged upload's messages. When SQS refuses some or all of them, the files not queued are
 * deleted (unless `keepPartlyQueued` keeps them) and the error names the images queued all the same.
 */
export async function queueUpload(
  deps: UploadDeps,
  log: UploadLog,
  staged: StagedUpload,
  options: QueueOptions = {},
): Promise<void> {
  const outcome = await deps.queue.send(staged.messages);
  if (!outcome.failure) return;
  if (outcome.sentImageIds.length > 0 && (await options.keepPartlyQueued?.())) {
    throw withQueued(outcome.failure, outcome.sentImageIds);
  }
  const sent = new Set(outcome.sentImageIds);
  await rollBack(
    deps,
    log,
    staged.files.filter((file) => !sent.has(file.imageId)).map((file) => file.key),
  );
  await options.abandoned?.();
  throw withQueued(outcome.failure, outcome.sentImageIds);
}

/** Deletes the given objects; what cannot be deleted is logged, the caller fails with its own error. */
export async function rollBack(deps: UploadDeps, log: UploadLog, keys: readonly string[]): Promise<void> {
  if (keys.length === 0) return;
  try {
    await deps.store.deleteKeys(keys);
  } catch (error) {
    // The request fails with its own error either way; what could not be deleted is logged for cleanup.
    log.error({ err: error, keys }, 'could not delete objects of a failed upload');
  }
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

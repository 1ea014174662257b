import { createHash } from 'node:crypto';
import {
  type FailedRow,
  type ImageUploadedV1,
  objectKeys,
  parseImageUploaded,
  type StageTimings,
  type StoredObject,
  type SucceededRow,
  uploadDayOf,
} from '@photo-pipeline/shared/contracts';
import { type AppError, PermanentError, toAppError } from '@photo-pipeline/shared/errors';
import type { Logger } from '@photo-pipeline/shared/log';
import type { Metrics } from '@photo-pipeline/shared/metrics';
import type { EncodedImage } from '../image/encode-image.ts';
import { type ProcessImageOptions, processImage } from '../image/process-image.ts';
import type { InferenceModel, ObjectStore, PutOutcome, ResultRepository } from '../processor-ports.ts';

export interface ProcessMessageDeps {
  readonly objects: ObjectStore;
  readonly results: ResultRepository;
  readonly model: Pick<InferenceModel, 'run' | 'name' | 'version' | 'digest' | 'executionProvider'>;
  readonly buckets: { readonly uploads: string; readonly processed: string };
  readonly image: ProcessImageOptions;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly now?: () => Date;
}

export interface QueueMessage {
  readonly messageId: string;
  readonly body: string | undefined;
  /** SQS ApproximateReceiveCount: 1 on the first delivery. */
  readonly receiveCount: number;
}

/**
 * What became of a message; each outcome means the message can be deleted. Transient failures are not
 * an outcome: they throw a RetryableError so the message goes back to the queue.
 */
export type MessageOutcome =
  | { readonly kind: 'succeeded'; readonly imageId: string }
  | { readonly kind: 'failed'; readonly imageId: string; readonly errorCode: string }
  | { readonly kind: 'duplicate'; readonly imageId: string }
  | { readonly kind: 'rejected'; readonly errorCode: string };

const sha256Hex = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const storedObject = (bucket: string, key: string, encoded: EncodedImage): StoredObject => ({
  bucket,
  key,
  bytes: encoded.bytes.length,
  sha256: sha256Hex(encoded.bytes),
  contentType: encoded.contentType,
});
const elapsed = (since: number) => Math.round((performance.now() - since) * 10) / 10;

/**
 * Processes one ImageUploaded message into exactly one result row: SUCCEEDED with the processed image
 * stored, or FAILED with a stable error code for a permanent problem. A message whose image already has
 * a row changes nothing. A body that is not an ImageUploaded v1 has no image to attach a row to: it is
 * logged and rejected (the consumer leaves it to reach the dead-letter queue).
 */
export async function processMessage(
  deps: ProcessMessageDeps,
  message: QueueMessage,
): Promise<MessageOutcome> {
  const log = deps.logger.child({ messageId: message.messageId });
  let job: ImageUploadedV1;
  try {
    job = parseImageUploaded(message.body);
  } catch (error) {
    const appError = toAppError(error);
    log.error(
      { err: appError, errorCode: appError.code },
      'rejected a message that is not an ImageUploaded v1',
    );
    deps.metrics.count('MessagesRejected', 1);
    return { kind: 'rejected', errorCode: appError.code };
  }
  const jobLog = log.child({ imageId: job.imageId, batchId: job.batchId });
  if (job.bucket !== deps.buckets.uploads) {
    // Not a FAILED row: the image itself may still arrive in a valid message, and a processor whose
    // UPLOADS_BUCKET is wrong must not fail every image for good; the message goes on to the DLQ.
    jobLog.error(
      { errorCode: 'MESSAGE_INVALID', bucket: job.bucket },
      `rejected a message that points at bucket ${job.bucket}, not the uploads bucket ${deps.buckets.uploads}`,
    );
    deps.metrics.count('MessagesRejected', 1);
    return { kind: 'rejected', errorCode: 'MESSAGE_INVALID' };
  }
  try {
    return await processJob(deps, message, job, jobLog);
  } catch (error) {
    // Whatever stops the job (S3, the model, DynamoDB's existence check or row write) is logged once
    // here with its code; the consumer then hands the message back for a later delivery.
    const appError = toAppError(error);
    jobLog[appError.retryable ? 'warn' : 'error'](
      { err: appError, errorCode: appError.code, attempt: message.receiveCount },
      appError.retryable
        ? 'transient failure; the message goes back to the queue'
        : 'failure with no row written; the message goes back to the queue and reaches the DLQ after the retry limit',
    );
    throw appError;
  }
}

async function processJob(
  deps: ProcessMessageDeps,
  message: QueueMessage,
  job: ImageUploadedV1,
  jobLog: Logger,
): Promise<MessageOutcome> {
  if (await deps.results.exists(job.imageId)) {
    jobLog.info('image already has its result row; deleting the redelivered message');
    return { kind: 'duplicate', imageId: job.imageId };
  }

  jobLog.info({ attempt: message.receiveCount, key: job.key, bytes: job.bytes }, 'processing image');
  const started = performance.now();
  const timings: { -readonly [K in keyof StageTimings]: StageTimings[K] } = { totalMs: 0 };
  let input: StoredObject = {
    bucket: job.bucket,
    key: job.key,
    bytes: job.bytes,
    sha256: job.sha256,
    contentType: job.contentType,
  };
  let row: SucceededRow | FailedRow;
  try {
    let stageStart = performance.now();
    const bytes = await deps.objects.get(job.bucket, job.key);
    timings.downloadMs = elapsed(stageStart);
    input = { ...input, bytes: bytes.length, sha256: sha256Hex(bytes) };
    if (input.sha256 !== job.sha256) {
      throw new PermanentError(
        'IMAGE_CORRUPT',
        `the stored object (${bytes.length} bytes) does not match the uploaded one (${job.bytes} bytes, SHA-256 ${job.sha256})`,
      );
    }
    const processed = await processImage(bytes, deps.model, deps.image);
    Object.assign(timings, processed.timings);
    const outputKey = objectKeys.processed(job.imageId, processed.output.extension);
    const maskKey = objectKeys.mask(job.imageId);
    stageStart = performance.now();
    await Promise.all([
      deps.objects.put(
        deps.buckets.processed,
        outputKey,
        processed.output.bytes,
        processed.output.contentType,
      ),
      processed.mask &&
        deps.objects.put(deps.buckets.processed, maskKey, processed.mask.bytes, processed.mask.contentType),
    ]);
    timings.uploadMs = elapsed(stageStart);
    timings.totalMs = elapsed(started);
    const areaPx = processed.width * processed.height;
    row = {
      ...rowBase(job, input, message, timings, deps),
      status: 'SUCCEEDED',
      width: processed.width,
      height: processed.height,
      areaPx,
      foregroundPx: processed.foregroundPx,
      foregroundRatio: processed.foregroundPx / areaPx,
      output: storedObject(deps.buckets.processed, outputKey, processed.output),
      ...(processed.mask ? { mask: storedObject(deps.buckets.processed, maskKey, processed.mask) } : {}),
      model: { name: deps.model.name, version: deps.model.version, digest: deps.model.digest },
      executionProvider: deps.model.executionProvider,
    };
  } catch (error) {
    const appError = toAppError(error);
    if (appError.retryable) throw appError;
    timings.totalMs = elapsed(started);
    row = failedRow(job, input, message, timings, deps, appError);
  }

  let outcome: PutOutcome;
  try {
    outcome = await deps.results.putOnce(row);
  } catch (error) {
    const appError = toAppError(error);
    if (row.status !== 'SUCCEEDED' || appError.code !== 'RESULT_ROW_INVALID') throw appError;
    // A result the contract refuses (a NaN ratio, a field out of range) is a failure of this image,
    // not of the queue: it still ends as exactly one row, FAILED with the reason.
    jobLog.error({ err: appError, errorCode: appError.code }, 'the result row breaks its contract');
    row = failedRow(job, input, message, timings, deps, appError);
    outcome = await deps.results.putOnce(row);
  }
  if (outcome === 'already-exists') {
    jobLog.info('another delivery wrote the row first; leaving it unchanged');
    return { kind: 'duplicate', imageId: job.imageId };
  }
  recordMetrics(deps.metrics, row, job);
  if (row.status === 'SUCCEEDED') {
    jobLog.info(
      { width: row.width, height: row.height, foregroundPx: row.foregroundPx, timings: row.timings },
      'image processed',
    );
    return { kind: 'succeeded', imageId: job.imageId };
  }
  jobLog.warn({ errorCode: row.errorCode, errorMessage: row.errorMessage }, 'image failed');
  return { kind: 'failed', imageId: job.imageId, errorCode: row.errorCode };
}

function rowBase(
  job: ImageUploadedV1,
  input: StoredObject,
  message: QueueMessage,
  timings: StageTimings,
  deps: ProcessMessageDeps,
) {
  return {
    schemaVersion: 1 as const,
    imageId: job.imageId,
    batchId: job.batchId,
    uploadDay: uploadDayOf(new Date(job.uploadedAt).toISOString()),
    originalName: job.originalName,
    input,
    uploadedAt: job.uploadedAt,
    processedAt: (deps.now?.() ?? new Date()).toISOString(),
    attempts: Math.max(1, message.receiveCount),
    timings: { ...timings },
  };
}

function failedRow(
  job: ImageUploadedV1,
  input: StoredObject,
  message: QueueMessage,
  timings: StageTimings,
  deps: ProcessMessageDeps,
  error: AppError,
): FailedRow {
  return {
    ...rowBase(job, input, message, timings, deps),
    status: 'FAILED',
    errorCode: error.code,
    errorMessage: error.message.slice(0, 2000) || error.code,
    executionProvider: deps.model.executionProvider,
  };
}

function recordMetrics(metrics: Metrics, row: SucceededRow | FailedRow, job: ImageUploadedV1): void {
  if (row.status === 'SUCCEEDED') {
    metrics.count('ImagesProcessed', 1);
    for (const [stage, ms] of Object.entries(row.timings)) {
      if (stage !== 'totalMs' && typeof ms === 'number') {
        metrics.milliseconds('StageLatency', ms, { Stage: stage.replace(/Ms$/, '') });
      }
    }
  } else {
    metrics.count('ImagesFailed', 1);
  }
  metrics.milliseconds('ProcessingLatency', row.timings.totalMs);
  const sinceUpload = Date.parse(row.processedAt) - Date.parse(job.uploadedAt);
  if (Number.isFinite(sinceUpload) && sinceUpload >= 0) metrics.milliseconds('EndToEndLatency', sinceUpload);
}

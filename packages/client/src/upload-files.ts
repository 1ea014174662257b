import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { batchIdSchema, newBatchId } from '@photo-pipeline/shared/contracts';
import { PermanentError } from '@photo-pipeline/shared/errors';
import pLimit from 'p-limit';
import { type ApiFailure, ApiFailureError } from './api-failure.ts';
import { uploadReplySchema } from './api-replies.ts';
import { collectFiles, describeSkipped, type LocalFile, type SkippedFiles } from './collect-files.ts';
import { exchange } from './http-exchange.ts';
import { multipartBody } from './multipart-body.ts';
import { defaultRetryPolicy, type RetryPolicy, retryDelayMs } from './retry-policy.ts';

export interface UploadFilesOptions {
  /** Files and folders; relative ones are resolved against `cwd`. */
  readonly paths: readonly string[];
  /** e.g. http://127.0.0.1:3000 */
  readonly endpoint: string;
  readonly apiKey?: string | undefined;
  /** Made here (a ULID) when not given, so it can be shown before the first upload. */
  readonly batchId?: string | undefined;
  /** Files uploaded at once; 4 by default. */
  readonly concurrency?: number;
  readonly retry?: Partial<RetryPolicy>;
  readonly cwd?: string;
  /** Called for every step; nothing is printed by this function. */
  readonly onEvent?: (event: UploadEvent) => void;
  /** A connection quiet for this long is dropped and retried; 60 s by default. */
  readonly idleTimeoutMs?: number;
}

export type FileResult =
  | {
      readonly ok: true;
      readonly path: string;
      readonly name: string;
      readonly bytes: number;
      readonly imageId: string;
      readonly key: string;
      readonly attempts: number;
    }
  | {
      readonly ok: false;
      readonly path: string;
      readonly name: string;
      readonly bytes: number;
      readonly error: ApiFailure;
      readonly attempts: number;
    };

export type UploadEvent =
  | { readonly type: 'start'; readonly batchId: string; readonly files: number; readonly totalBytes: number }
  | { readonly type: 'bytes'; readonly file: string; readonly bytes: number }
  | {
      readonly type: 'retry';
      readonly file: string;
      readonly attempt: number;
      readonly delayMs: number;
      readonly reason: ApiFailure;
      readonly bytesToResend: number;
    }
  | { readonly type: 'file-done'; readonly result: FileResult };

export interface UploadSummary {
  readonly batchId: string;
  readonly files: readonly FileResult[];
  /** Files in the given folders that were not sent (not images by their extension, or hidden). */
  readonly skipped: SkippedFiles;
  readonly uploaded: number;
  readonly failed: number;
  readonly bytes: number;
  readonly elapsedMs: number;
}

/**
 * Uploads files and folders to the API, one file per request, `concurrency` at a time. Retries 429, 503
 * and network failures with backoff, reusing each file's Idempotency-Key so a retry never queues twice.
 * Per-file failures are reported in the summary, not thrown; a bad argument (missing path, no files,
 * bad batch id) throws INVALID_ARGUMENT.
 */
export async function uploadFiles(options: UploadFilesOptions): Promise<UploadSummary> {
  const started = performance.now();
  const batchId = options.batchId ?? newBatchId();
  if (!batchIdSchema.safeParse(batchId).success) {
    throw new PermanentError(
      'INVALID_ARGUMENT',
      `--batch-id: ${batchIdSchema.safeParse(batchId).error?.issues[0]?.message}`,
    );
  }
  const { files, skipped } = await collectFiles(options.paths, options.cwd ?? process.cwd());
  if (files.length === 0) {
    const why = skipped.count > 0 ? ` (${describeSkipped(skipped)})` : '';
    throw new PermanentError('INVALID_ARGUMENT', `no image files found in ${options.paths.join(', ')}${why}`);
  }
  const endpoint = new URL('/v1/images', options.endpoint);
  const policy: RetryPolicy = { ...defaultRetryPolicy, ...options.retry };
  const emit = options.onEvent ?? (() => undefined);
  emit({
    type: 'start',
    batchId,
    files: files.length,
    totalBytes: files.reduce((sum, f) => sum + f.bytes, 0),
  });

  const limit = pLimit(Math.max(1, options.concurrency ?? 4));
  const results = await Promise.all(
    files.map((file) =>
      limit(async () => {
        const result = await uploadOne(file, { ...options, batchId, endpoint, policy, emit });
        emit({ type: 'file-done', result });
        return result;
      }),
    ),
  );
  const uploaded = results.filter((result) => result.ok).length;
  return {
    batchId,
    files: results,
    skipped,
    uploaded,
    failed: results.length - uploaded,
    bytes: results.reduce((sum, result) => sum + (result.ok ? result.bytes : 0), 0),
    elapsedMs: Math.round(performance.now() - started),
  };
}

interface UploadContext {
  readonly batchId: string;
  readonly endpoint: URL;
  readonly apiKey?: string | undefined;
  readonly policy: RetryPolicy;
  readonly idleTimeoutMs?: number;
  readonly emit: (event: UploadEvent) => void;
}

async function uploadOne(file: LocalFile, context: UploadContext): Promise<FileResult> {
  const idempotencyKey = randomUUID();
  const body = multipartBody(file, context.batchId);
  for (let attempt = 1; ; attempt += 1) {
    let sent = 0;
    try {
      const reply = await exchange({
        method: 'POST',
        url: context.endpoint,
        headers: {
          'content-type': body.contentType,
          'content-length': String(body.contentLength),
          'idempotency-key': idempotencyKey,
          accept: 'application/json',
          ...(context.apiKey ? { authorization: `Bearer ${context.apiKey}` } : {}),
        },
        body: body.stream((bytes) => {
          sent += bytes;
          context.emit({ type: 'bytes', file: file.path, bytes });
        }),
        idleTimeoutMs: context.idleTimeoutMs ?? 60_000,
      });
      const parsed = uploadReplySchema.safeParse(reply.json);
      const image = parsed.success ? parsed.data.images[0] : undefined;
      if (!image) {
        throw new ApiFailureError({
          code: 'HTTP_INVALID_REPLY',
          message: 'the API reply does not list the stored image',
          retryable: false,
        });
      }
      return {
        ok: true,
        path: file.path,
        name: file.name,
        bytes: file.bytes,
        imageId: image.imageId,
        key: image.key,
        attempts: attempt,
      };
    } catch (error) {
      const failure: ApiFailure =
        error instanceof ApiFailureError
          ? error.failure
          : { code: 'INTERNAL', message: String(error), retryable: false };
      const delayMs = retryDelayMs(context.policy, failure, attempt);
      if (delayMs === undefined) {
        return {
          ok: false,
          path: file.path,
          name: file.name,
          bytes: file.bytes,
          error: failure,
          attempts: attempt,
        };
      }
      context.emit({
        type: 'retry',
        file: file.path,
        attempt,
        delayMs,
        reason: failure,
        bytesToResend: sent,
      });
      await sleep(delayMs);
    }
  }
}

import { setTimeout as sleep } from 'node:timers/promises';
import type { z } from 'zod';
import { type ApiFailure, ApiFailureError } from './api-failure.ts';
import { type imageStatusSchema, statusReplySchema } from './api-replies.ts';
import { exchange } from './http-exchange.ts';

export type ImageStatus = z.output<typeof imageStatusSchema>;

export interface ImageOutcome {
  readonly imageId: string;
  readonly status: ImageStatus;
  /** The result row when there is one (SUCCEEDED or FAILED). */
  readonly result?: Readonly<Record<string, unknown>>;
}

export interface WaitProgress {
  readonly total: number;
  readonly succeeded: number;
  readonly failed: number;
  readonly waiting: number;
  /** The last failed poll, while polls fail (the wait goes on until the timeout). */
  readonly pollError?: ApiFailure;
}

export interface WaitOptions {
  readonly endpoint: string;
  readonly apiKey?: string | undefined;
  readonly imageIds: readonly string[];
  /** Give up after this long; 10 minutes by default. */
  readonly timeoutMs?: number;
  readonly pollIntervalMs?: number;
  readonly onProgress?: (progress: WaitProgress) => void;
}

export interface WaitSummary {
  readonly outcomes: readonly ImageOutcome[];
  /** True when some images had no result when the time ran out. */
  readonly timedOut: boolean;
}

const idsPerPoll = 100;

/**
 * Polls the API's status route (GET /v1/images?ids=...) until every image has a result row (SUCCEEDED
 * or FAILED) or the time runs out. The API reads the results table, so the client needs no AWS access.
 */
export async function waitForResults(options: WaitOptions): Promise<WaitSummary> {
  const deadline = Date.now() + (options.timeoutMs ?? 600_000);
  const outcomes = new Map<string, ImageOutcome>(
    options.imageIds.map((imageId) => [imageId, { imageId, status: 'PENDING' }]),
  );
  const open = () => [...outcomes.values()].filter((o) => o.status !== 'SUCCEEDED' && o.status !== 'FAILED');
  for (;;) {
    let pollError: ApiFailure | undefined;
    const waiting = open().map((o) => o.imageId);
    for (let start = 0; start < waiting.length; start += idsPerPoll) {
      try {
        for (const outcome of await poll(options, waiting.slice(start, start + idsPerPoll))) {
          outcomes.set(outcome.imageId, outcome);
        }
      } catch (error) {
        if (!(error instanceof ApiFailureError) || !error.failure.retryable) throw error;
        pollError = error.failure;
      }
    }
    const all = [...outcomes.values()];
    const remaining = open().length;
    options.onProgress?.({
      total: all.length,
      succeeded: all.filter((o) => o.status === 'SUCCEEDED').length,
      failed: all.filter((o) => o.status === 'FAILED').length,
      waiting: remaining,
      ...(pollError ? { pollError } : {}),
    });
    if (remaining === 0)
      return {
        outcomes: options.imageIds.map((id) => outcomes.get(id) ?? { imageId: id, status: 'UNKNOWN' }),
        timedOut: false,
      };
    if (Date.now() >= deadline) {
      return {
        outcomes: options.imageIds.map((id) => outcomes.get(id) ?? { imageId: id, status: 'UNKNOWN' }),
        timedOut: true,
      };
    }
    await sleep(Math.min(options.pollIntervalMs ?? 1_000, Math.max(0, deadline - Date.now())));
  }
}

async function poll(options: WaitOptions, imageIds: readonly string[]): Promise<ImageOutcome[]> {
  const url = new URL('/v1/images', options.endpoint);
  url.searchParams.set('ids', imageIds.join(','));
  const reply = await exchange({
    method: 'GET',
    url,
    headers: {
      accept: 'application/json',
      ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}),
    },
    idleTimeoutMs: 30_000,
  });
  const parsed = statusReplySchema.safeParse(reply.json);
  if (!parsed.success) {
    throw new ApiFailureError({
      code: 'HTTP_INVALID_REPLY',
      message: 'the status reply does not match its schema',
      retryable: false,
    });
  }
  return parsed.data.images.map((image) => ({
    imageId: image.imageId,
    status: image.status,
    ...(image.result ? { result: image.result } : {}),
  }));
}

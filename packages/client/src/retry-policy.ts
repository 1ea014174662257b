import type { ApiFailure } from './api-failure.ts';

export interface RetryPolicy {
  /** Retries after the first attempt. */
  readonly retries: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export const defaultRetryPolicy: RetryPolicy = { retries: 5, baseDelayMs: 500, maxDelayMs: 20_000 };

/**
 * How long to wait before retry number `retry` (1-based), or undefined when the failure is final:
 * exponential backoff with full jitter, but never sooner than the server's Retry-After.
 */
export function retryDelayMs(
  policy: RetryPolicy,
  failure: ApiFailure,
  retry: number,
  random: () => number = Math.random,
): number | undefined {
  if (!failure.retryable || retry > policy.retries) return undefined;
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
  const jittered = Math.round(ceiling * random());
  return Math.min(Math.max(jittered, failure.retryAfterMs ?? 0), 60_000);
}

import { describe, expect, it } from 'vitest';
import { failureFromReply, networkFailure } from '../../src/api-failure.ts';
import { defaultRetryPolicy, retryDelayMs } from '../../src/retry-policy.ts';

describe('failureFromReply', () => {
  it('reads the API error body, its retryable flag and Retry-After', () => {
    const failure = failureFromReply(
      503,
      JSON.stringify({
        error: { code: 'DEPENDENCY_UNAVAILABLE', message: 'S3 is down', requestId: 'r', retryable: true },
      }),
      '5',
    );
    expect(failure).toEqual({
      code: 'DEPENDENCY_UNAVAILABLE',
      message: 'S3 is down',
      status: 503,
      retryable: true,
      retryAfterMs: 5000,
    });
  });

  it('describes a proxy page by its status, retrying 502, 503, 504 and 429 only', () => {
    expect(failureFromReply(502, '<html>bad gateway</html>', undefined)).toMatchObject({
      code: 'HTTP_502',
      retryable: true,
    });
    expect(failureFromReply(404, 'not here', undefined)).toMatchObject({
      code: 'HTTP_404',
      retryable: false,
    });
    expect(failureFromReply(429, '', '2')).toMatchObject({ retryable: true, retryAfterMs: 2000 });
  });

  it('treats connection failures as retryable NETWORK failures', () => {
    const error = Object.assign(new Error('connect refused'), { code: 'ECONNREFUSED' });
    expect(networkFailure(error)).toEqual({
      code: 'NETWORK',
      message: 'ECONNREFUSED: connect refused',
      retryable: true,
    });
  });
});

describe('retryDelayMs', () => {
  const retryable = { code: 'NETWORK', message: 'reset', retryable: true };

  it('backs off exponentially with full jitter, capped', () => {
    expect(retryDelayMs(defaultRetryPolicy, retryable, 1, () => 1)).toBe(500);
    expect(retryDelayMs(defaultRetryPolicy, retryable, 3, () => 1)).toBe(2000);
    expect(retryDelayMs(defaultRetryPolicy, retryable, 5, () => 0.5)).toBe(4000);
    expect(retryDelayMs({ ...defaultRetryPolicy, retries: 50 }, retryable, 20, () => 1)).toBe(20_000);
  });

  it('waits at least the server Retry-After', () => {
    expect(retryDelayMs(defaultRetryPolicy, { ...retryable, retryAfterMs: 5000 }, 1, () => 0)).toBe(5000);
  });

  it('gives up on permanent failures and after the last retry', () => {
    expect(
      retryDelayMs(defaultRetryPolicy, { code: 'UNSUPPORTED_MEDIA_TYPE', message: 'x', retryable: false }, 1),
    ).toBeUndefined();
    expect(retryDelayMs(defaultRetryPolicy, retryable, defaultRetryPolicy.retries + 1)).toBeUndefined();
  });
});

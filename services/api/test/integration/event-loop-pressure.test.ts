import { setTimeout as sleep } from 'node:timers/promises';
import { type ApiHarness, postImages, startApiHarness } from '@photo-pipeline/test-support/api-harness';
import { gifBytes } from '@photo-pipeline/test-support/image-builders';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let api: ApiHarness;
beforeAll(async () => {
  api = await startApiHarness({ env: { MAX_EVENT_LOOP_DELAY_MS: '50' } });
});
afterAll(async () => {
  await api?.close();
});

/** Keeps the event loop (which the in-process API shares with this test) busy, as a CPU-bound burst would. */
function blockEventLoop(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // spin
  }
}

describe('event-loop pressure', () => {
  it('answers 503 OVERLOADED while the event loop lags, keeps /healthz answering, and recovers', async () => {
    // Prepare: a sustained lag (100 ms busy, then a breath) over a whole one-second sampling window.
    const until = performance.now() + 1_300;
    while (performance.now() < until) {
      blockEventLoop(100);
      await sleep(1);
    }

    // Act
    const during = await postImages(api.url, [{ name: 'p.gif', bytes: gifBytes() }]);
    const health = await fetch(`${api.url}/healthz`);
    // Recovery: the next samples see a quiet loop (a few tries, in case the machine itself is busy).
    let after = { status: 0 };
    for (let attempt = 0; attempt < 5 && after.status !== 202; attempt += 1) {
      await sleep(1_100);
      after = await postImages(api.url, [{ name: 'p.gif', bytes: gifBytes() }]);
    }

    // Assess
    expect(during.status).toBe(503);
    expect((during.body as { error: { code: string } }).error.code).toBe('OVERLOADED');
    expect(during.headers.get('retry-after')).toBe('2');
    expect(health.status).toBe(200);
    expect(after.status).toBe(202);
  });
});

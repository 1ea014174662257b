import { setTimeout as sleep } from 'node:timers/promises';
import { gifBytes } from '@photo-pipeline/test-support/image-builders';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiHarness, postImages, startApiHarness } from '../support/api-harness.ts';

const maxEventLoopDelayMs = 50;
/** One block of pressure: twice the limit, so every sample taken while it lasts is far above the limit. */
const blockMs = 2 * maxEventLoopDelayMs;
/** Bounds on the loops below (counts, not time limits): a sample is taken every second. */
const maxBlocks = 300;
const maxQuietChecks = 100;

let api: ApiHarness;
beforeAll(async () => {
  api = await startApiHarness({ env: { MAX_EVENT_LOOP_DELAY_MS: String(maxEventLoopDelayMs) } });
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

/**
 * Holds the loop under pressure (blocks with 1 ms breaths) until `done()` says so. A slower machine only
 * makes each lag longer, so the pressure is at least what it says; the bound is a count of blocks.
 */
async function pressUntil(done: () => boolean): Promise<void> {
  for (let block = 0; !done(); block += 1) {
    if (block >= maxBlocks) throw new Error(`still not done after ${maxBlocks} blocks of pressure`);
    blockEventLoop(blockMs);
    await sleep(1);
  }
}

/** Runs `request` to its end while the pressure goes on, so no sample taken meanwhile can see a quiet loop. */
async function underPressure<T>(request: Promise<T>): Promise<T> {
  let settled = false;
  const tracked = request.finally(() => {
    settled = true;
  });
  await pressUntil(() => settled);
  return tracked;
}

describe('event-loop pressure', () => {
  it('answers 503 OVERLOADED while the event loop lags, keeps /healthz answering, and serves again once it is quiet', async () => {
    // Prepare: pressure until the API's own sampler has seen the lag.
    await pressUntil(() => api.app.isUnderPressure());

    // Act: both requests are answered while the pressure still holds.
    const during = await underPressure(postImages(api.url, [{ name: 'p.gif', bytes: gifBytes() }]));
    const health = await underPressure(fetch(`${api.url}/healthz`));
    const stillUnderPressure = api.app.isUnderPressure();
    // Then a quiet loop until the sampler has seen it.
    for (let check = 0; api.app.isUnderPressure(); check += 1) {
      if (check >= maxQuietChecks) throw new Error('the API never saw the quiet loop');
      await sleep(100);
    }
    const after = await postImages(api.url, [{ name: 'p.gif', bytes: gifBytes() }]);

    // Assess
    expect(stillUnderPressure).toBe(true);
    expect(during.status).toBe(503);
    expect((during.body as { error: { code: string } }).error.code).toBe('OVERLOADED');
    expect(during.headers.get('retry-after')).toBe('2');
    expect(health.status).toBe(200);
    expect(after.status).toBe(202);
  });
});

import { setTimeout as sleep } from 'node:timers/promises';
import { gifBytes } from '@photo-pipeline/test-support/image-builders';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiHarness, postImages, startApiHarness } from '../support/api-harness.ts';
import { type SlowSender, slowSender } from '../support/raw-http.ts';

const idleTimeoutMs = 1_000;
const perClient = 4;

let api: ApiHarness;
beforeAll(async () => {
  api = await startApiHarness({
    env: {
      MAX_CONCURRENT_UPLOADS: '8',
      MAX_UPLOADS_PER_CLIENT: String(perClient),
      UPLOAD_IDLE_TIMEOUT_MS: String(idleTimeoutMs),
      // The idle timeout alone is under test here (upload-rate-floor.test.ts covers the floor).
      UPLOAD_MIN_BYTES_PER_SECOND: '0',
    },
  });
});
afterAll(async () => {
  await api?.close();
});

describe('slow senders', () => {
  it('40 connections trickling bytes from one address leave normal uploads answered 202, and end with nothing stored', async () => {
    // Prepare: 40 slow uploads from 127.0.0.2, a byte every 250 ms for 2.5 s, then silence.
    const objectsBefore = await api.countOriginals();
    const messagesBefore = await api.countMessages();
    const senders: SlowSender[] = [];
    try {
      for (let n = 0; n < 40; n += 1) {
        senders.push(slowSender(api.url, { localAddress: '127.0.0.2', tickMs: 250, trickleForMs: 2_500 }));
      }
      await sleep(500);

      // Act: normal uploads from another address while the slow ones are still sending.
      const normal: number[] = [];
      for (let n = 0; n < 5; n += 1) {
        normal.push((await postImages(api.url, [{ name: `n${n}.gif`, bytes: gifBytes() }])).status);
      }
      const ends = await Promise.race([
        Promise.all(senders.map((sender) => sender.ended)),
        sleep(15_000).then(() => undefined),
      ]);

      // Assess
      expect(normal).toEqual([202, 202, 202, 202, 202]);
      expect(ends, 'every slow connection ended within 15 s').toBeDefined();
      const refusedAtOnce = (ends ?? []).filter((end) => end.status === 429);
      const endedIdle = (ends ?? []).filter((end) => end.status === undefined);
      expect(refusedAtOnce).toHaveLength(40 - perClient);
      expect(endedIdle).toHaveLength(perClient);
      // The admitted ones were ended by the idle timeout after they fell silent, not before.
      for (const end of endedIdle) expect(end.afterMs).toBeGreaterThanOrEqual(2_500 + idleTimeoutMs - 300);
      expect(await api.countOriginals()).toBe(objectsBefore + 5);
      expect(await api.countMessages()).toBe(messagesBefore + 5);
    } finally {
      for (const sender of senders) sender.stop();
    }
  });
});

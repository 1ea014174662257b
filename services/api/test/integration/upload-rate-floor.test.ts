import { setTimeout as sleep } from 'node:timers/promises';
import { gifBytes } from '@photo-pipeline/test-support/image-builders';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiHarness, postImages, startApiHarness } from '../support/api-harness.ts';
import { type SlowSender, slowSender } from '../support/raw-http.ts';

const graceMs = 1_000;

let api: ApiHarness;
beforeAll(async () => {
  api = await startApiHarness({
    env: {
      MAX_CONCURRENT_UPLOADS: '8',
      MAX_UPLOADS_PER_CLIENT: '4',
      UPLOAD_IDLE_TIMEOUT_MS: String(graceMs),
      UPLOAD_MIN_BYTES_PER_SECOND: '1000',
    },
  });
});
afterAll(async () => {
  await api?.close();
});

describe('the upload rate floor', () => {
  it('ends senders that never fall silent but trickle under UPLOAD_MIN_BYTES_PER_SECOND, from several addresses, so their slots come back', async () => {
    // Prepare: every slot (8) taken by 4 senders from each of two addresses (each address at its cap), a
    // byte every 250 ms for 20 s: never silent for the idle timeout.
    const objectsBefore = await api.countOriginals();
    const messagesBefore = await api.countMessages();
    const senders: SlowSender[] = [];
    try {
      for (const localAddress of ['127.0.0.2', '127.0.0.3']) {
        for (let n = 0; n < 4; n += 1) {
          senders.push(slowSender(api.url, { localAddress, tickMs: 250, trickleForMs: 20_000 }));
        }
      }
      // Act
      const ends = await Promise.race([
        Promise.all(senders.map((sender) => sender.ended)),
        sleep(10_000).then(() => undefined),
      ]);
      const normal: number[] = [];
      for (let n = 0; n < 3; n += 1) {
        normal.push((await postImages(api.url, [{ name: `n${n}.gif`, bytes: gifBytes() }])).status);
      }

      // Assess
      expect(ends, 'every trickling connection ended within 10 s').toBeDefined();
      for (const end of ends ?? []) {
        expect(end.status).toBeUndefined();
        expect(end.afterMs).toBeGreaterThanOrEqual(graceMs);
      }
      expect(normal).toEqual([202, 202, 202]);
      expect(await api.countOriginals()).toBe(objectsBefore + 3);
      expect(await api.countMessages()).toBe(messagesBefore + 3);
    } finally {
      for (const sender of senders) sender.stop();
    }
  });
});

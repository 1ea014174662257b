import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ApiHarness, startApiHarness } from '@photo-pipeline/api/test-harness';
import { gifBytes, jpegBytes, pngBytes } from '@photo-pipeline/test-support/image-builders';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type UploadEvent, uploadFiles } from '../../src/index.ts';
import { startLossyProxy } from '../support/lossy-proxy.ts';

let api: ApiHarness;
let folder: string;

beforeAll(async () => {
  api = await startApiHarness();
  folder = mkdtempSync(join(tmpdir(), 'client-test-'));
  mkdirSync(join(folder, 'album', 'nested'), { recursive: true });
  writeFileSync(join(folder, 'album', 'a.jpg'), jpegBytes({ bytes: 300_000 }));
  writeFileSync(join(folder, 'album', 'nested', 'b.PNG'), pngBytes({ width: 3, height: 3 }));
  writeFileSync(join(folder, 'album', 'readme.txt'), 'not picked up from a folder');
  writeFileSync(join(folder, 'album', '.hidden.jpg'), jpegBytes());
  writeFileSync(join(folder, 'fake.jpg'), 'text in disguise, the API sniffs it');
  writeFileSync(join(folder, 'c.gif'), gifBytes());
});
afterAll(async () => {
  await api?.close();
  rmSync(folder, { recursive: true, force: true });
});

describe('uploadFiles', () => {
  it('uploads a folder recursively, with progress events adding up to the bytes sent', async () => {
    // Prepare
    const events: UploadEvent[] = [];
    const messagesBefore = await api.countMessages();

    // Act
    const summary = await uploadFiles({
      paths: ['album'],
      cwd: folder,
      endpoint: api.url,
      batchId: 'album-1',
      concurrency: 2,
      onEvent: (e) => events.push(e),
    });

    // Assess
    expect(summary.batchId).toBe('album-1');
    expect(summary.files.map((f) => [f.name, f.ok])).toEqual([
      ['a.jpg', true],
      ['b.PNG', true],
    ]);
    expect(summary).toMatchObject({ uploaded: 2, failed: 0 });
    expect(events[0]).toMatchObject({
      type: 'start',
      batchId: 'album-1',
      files: 2,
      totalBytes: summary.bytes,
    });
    const sent = events.reduce((sum, e) => sum + (e.type === 'bytes' ? e.bytes : 0), 0);
    expect(sent).toBe(summary.bytes);
    expect(events.filter((e) => e.type === 'file-done')).toHaveLength(2);
    expect(await api.countMessages()).toBe(messagesBefore + 2);
  });

  it('keeps at most `concurrency` uploads in progress at once, and uses that many', async () => {
    const photos = mkdtempSync(join(tmpdir(), 'client-concurrency-'));
    const proxy = await startLossyProxy(api.url, 0);
    try {
      for (let n = 0; n < 8; n += 1) writeFileSync(join(photos, `p${n}.jpg`), jpegBytes({ bytes: 400_000 }));

      const summary = await uploadFiles({ paths: ['.'], cwd: photos, endpoint: proxy.url, concurrency: 3 });

      expect(summary).toMatchObject({ uploaded: 8, failed: 0 });
      expect(proxy.forwardedPosts()).toBe(8);
      expect(proxy.maxConcurrentPosts()).toBeLessThanOrEqual(3);
      expect(proxy.maxConcurrentPosts()).toBeGreaterThan(1);
    } finally {
      await proxy.close();
      rmSync(photos, { recursive: true, force: true });
    }
  });

  it('reports a refused file with its reason, without retrying it, and uploads the others', async () => {
    const summary = await uploadFiles({ paths: ['fake.jpg', 'c.gif'], cwd: folder, endpoint: api.url });
    const fake = summary.files.find((f) => f.name === 'fake.jpg');
    expect(fake).toMatchObject({
      ok: false,
      attempts: 1,
      error: { code: 'UNSUPPORTED_MEDIA_TYPE', status: 415 },
    });
    expect(summary).toMatchObject({ uploaded: 1, failed: 1 });
  });

  it('retries when the reply is lost, and the Idempotency-Key makes the retry queue nothing twice', async () => {
    // Prepare: the first reply is cut off after the API has stored and queued the file.
    const proxy = await startLossyProxy(api.url, 1);
    const messagesBefore = await api.countMessages();
    const objectsBefore = await api.countOriginals();
    try {
      // Act
      const summary = await uploadFiles({
        paths: ['c.gif'],
        cwd: folder,
        endpoint: proxy.url,
        retry: { baseDelayMs: 10 },
      });

      // Assess
      expect(summary.files[0]).toMatchObject({ ok: true, attempts: 2 });
      expect(proxy.forwardedPosts()).toBe(2);
      expect(await api.countMessages()).toBe(messagesBefore + 1);
      expect(await api.countOriginals()).toBe(objectsBefore + 1);
    } finally {
      await proxy.close();
    }
  });

  it('retries a 503 while S3 is down and succeeds once it is back, queueing once', async () => {
    const messagesBefore = await api.countMessages();
    const restore = api.stack.simulateOutage('s3', 'unavailable');
    const retries: UploadEvent[] = [];
    setTimeout(restore, 1_000);
    const summary = await uploadFiles({
      paths: ['c.gif'],
      cwd: folder,
      endpoint: api.url,
      retry: { baseDelayMs: 10 },
      onEvent: (e) => {
        if (e.type === 'retry') retries.push(e);
      },
    });
    expect(summary.files[0]?.ok).toBe(true);
    expect(retries[0]).toMatchObject({
      type: 'retry',
      reason: { code: 'DEPENDENCY_UNAVAILABLE', status: 503 },
    });
    // The API's Retry-After (5 s) is honoured over the shorter backoff.
    expect(retries[0]?.type === 'retry' && retries[0].delayMs).toBe(5_000);
    expect(await api.countMessages()).toBe(messagesBefore + 1);
  });

  it('gives up on a file after the retries run out, naming the network failure', async () => {
    const summary = await uploadFiles({
      paths: ['c.gif'],
      cwd: folder,
      endpoint: 'http://127.0.0.1:9',
      retry: { retries: 1, baseDelayMs: 1 },
    });
    expect(summary.files[0]).toMatchObject({ ok: false, attempts: 2, error: { code: 'NETWORK' } });
  });

  it('throws INVALID_ARGUMENT for a path that does not exist or a bad batch id', async () => {
    await expect(
      uploadFiles({ paths: ['missing.jpg'], cwd: folder, endpoint: api.url }),
    ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(
      uploadFiles({ paths: ['c.gif'], cwd: folder, endpoint: api.url, batchId: '../x' }),
    ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});

import { gifBytes, jpegBytes } from '@photo-pipeline/test-support/image-builders';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idempotencyMarkerKey } from '../../src/core/upload/idempotency.ts';
import { type ApiHarness, postImages, startApiHarness } from '../support/api-harness.ts';

let api: ApiHarness;
beforeAll(async () => {
  api = await startApiHarness();
});
afterAll(async () => {
  await api?.close();
});

interface UploadReply {
  batchId: string;
  images: { imageId: string; key: string }[];
}

describe('Idempotency-Key', () => {
  it('answers a retried request with the same image ids and queues it once', async () => {
    // Prepare
    const file = [{ name: 'same.jpg', bytes: jpegBytes({ bytes: 20_000 }) }];
    const headers = { 'idempotency-key': `retry-${Date.now()}` };
    const messagesBefore = await api.countMessages();
    const objectsBefore = await api.countOriginals();

    // Act
    const first = await postImages(api.url, file, { headers });
    const second = await postImages(api.url, file, { headers });

    // Assess
    expect(first.status).toBe(202);
    expect(second.status).toBe(202);
    expect(second.body).toEqual(first.body);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    expect(await api.countMessages()).toBe(messagesBefore + 1);
    expect(await api.countOriginals()).toBe(objectsBefore + 1);
  });

  it('refuses the key reused with a different file: 422 IDEMPOTENCY_KEY_REUSED, nothing stored or queued', async () => {
    // Prepare
    const headers = { 'idempotency-key': `reused-file-${Date.now()}` };
    const first = await postImages(api.url, [{ name: 'a.jpg', bytes: jpegBytes({ bytes: 20_000 }) }], {
      headers,
    });
    const messagesBefore = await api.countMessages();
    const objectsBefore = await api.countOriginals();

    // Act: same key, same name, other bytes.
    const reused = await postImages(api.url, [{ name: 'a.jpg', bytes: jpegBytes({ bytes: 21_000 }) }], {
      headers,
    });

    // Assess
    expect(first.status).toBe(202);
    expect(reused.status).toBe(422);
    expect((reused.body as { error: { code: string } }).error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await api.countMessages()).toBe(messagesBefore);
    expect(await api.countOriginals()).toBe(objectsBefore);
  });

  it('refuses the key reused with the same file in another batch, and still replays the original request', async () => {
    // Prepare
    const file = [{ name: 'b.gif', bytes: gifBytes() }];
    const headers = { 'idempotency-key': `reused-batch-${Date.now()}` };
    const first = await postImages(api.url, file, { headers, fields: { batchId: 'batch-one' } });

    // Act
    const otherBatch = await postImages(api.url, file, { headers, fields: { batchId: 'batch-two' } });
    const noBatch = await postImages(api.url, file, { headers });
    const retry = await postImages(api.url, file, { headers, fields: { batchId: 'batch-one' } });

    // Assess
    expect(otherBatch.status).toBe(422);
    expect(noBatch.status).toBe(422);
    expect(retry.status).toBe(202);
    expect(retry.body).toEqual(first.body);
  });

  it('treats the same key from two different API keys as two requests', async () => {
    const scoped = idempotencyMarkerKey('key:aaaa', 'k1');
    expect(scoped).not.toBe(idempotencyMarkerKey('key:bbbb', 'k1'));
    expect(scoped).toMatch(/^idempotency\/[a-f0-9]{64}\.json$/);
  });

  it('does not remember a refused request, so a corrected retry with the same key goes through', async () => {
    const headers = { 'idempotency-key': `refused-${Date.now()}` };
    const refused = await postImages(
      api.url,
      [{ name: 'bad.jpg', bytes: Buffer.from('definitely not an image file') }],
      { headers },
    );
    expect(refused.status).toBe(415);
    const accepted = await postImages(api.url, [{ name: 'good.gif', bytes: gifBytes() }], { headers });
    expect(accepted.status).toBe(202);
  });

  it('finishes a request that died after claiming its key: a retry queues its messages and replays its reply', async () => {
    // Prepare: a request stored its file and its `queueing` marker, then the process died before SQS.
    const first = await postImages(api.url, [{ name: 'crash.gif', bytes: gifBytes() }], {
      headers: { 'idempotency-key': 'crash-template' },
    });
    const template = first.body as UploadReply;
    const stale = (await api.deps.store.getJson(idempotencyMarkerKey('open', 'crash-template'))) as Record<
      string,
      unknown
    >;
    const key = `crashed-${Date.now()}`;
    await api.deps.store.putJson(idempotencyMarkerKey('open', key), {
      ...stale,
      state: 'queueing',
      createdAt: new Date(Date.now() - 120_000).toISOString(),
    });
    const messagesBefore = await api.countMessages();

    // Act
    const retry = await postImages(api.url, [{ name: 'crash.gif', bytes: gifBytes() }], {
      headers: { 'idempotency-key': key },
    });

    // Assess
    expect(retry.status).toBe(202);
    expect((retry.body as UploadReply).images[0]?.imageId).toBe(template.images[0]?.imageId);
    expect(await api.countMessages()).toBe(messagesBefore + 1);
    const completed = (await api.deps.store.getJson(idempotencyMarkerKey('open', key))) as { state: string };
    expect(completed.state).toBe('completed');
  });

  it('answers 409 IDEMPOTENCY_KEY_IN_USE while another request with the key is queueing', async () => {
    const key = `busy-${Date.now()}`;
    const template = (await api.deps.store.getJson(idempotencyMarkerKey('open', 'crash-template'))) as Record<
      string,
      unknown
    >;
    await api.deps.store.putJson(idempotencyMarkerKey('open', key), {
      ...template,
      state: 'queueing',
      createdAt: new Date().toISOString(),
    });
    const reply = await postImages(api.url, [{ name: 'x.gif', bytes: gifBytes() }], {
      headers: { 'idempotency-key': key },
    });
    expect(reply.status).toBe(409);
    expect(reply.headers.get('retry-after')).toBe('1');
    expect((reply.body as { error: { code: string } }).error.code).toBe('IDEMPOTENCY_KEY_IN_USE');
  });

  it('refuses a malformed key with 400', async () => {
    const reply = await postImages(api.url, [{ name: 'x.gif', bytes: gifBytes() }], {
      headers: { 'idempotency-key': 'x'.repeat(300) },
    });
    expect(reply.status).toBe(400);
  });

  it('the local stack honours If-None-Match: * as S3 does: a second conditional write is refused', async () => {
    const key = `idempotency/probe-${Date.now()}.json`;
    expect(await api.deps.store.putJson(key, { n: 1 }, { onlyIfAbsent: true })).toBe('written');
    expect(await api.deps.store.putJson(key, { n: 2 }, { onlyIfAbsent: true })).toBe('exists');
    expect(await api.deps.store.getJson(key)).toEqual({ n: 1 });
    await api.deps.store.deleteKeys([key]);
  });

  it('of 8 requests racing with one key, exactly one queues; the others get 409 or the same reply', async () => {
    // Prepare
    const file = [{ name: 'race.jpg', bytes: jpegBytes({ bytes: 50_000 }) }];
    const headers = { 'idempotency-key': `race-${Date.now()}` };
    const messagesBefore = await api.countMessages();
    const objectsBefore = await api.countOriginals();

    // Act
    const replies = await Promise.all(
      Array.from({ length: 8 }, () => postImages(api.url, file, { headers })),
    );

    // Assess
    const accepted = replies.filter((reply) => reply.status === 202);
    const inUse = replies.filter((reply) => reply.status === 409);
    expect(accepted.length + inUse.length).toBe(8);
    expect(accepted.length).toBeGreaterThanOrEqual(1);
    const imageIds = new Set(accepted.map((reply) => (reply.body as UploadReply).images[0]?.imageId));
    expect(imageIds.size).toBe(1);
    for (const reply of inUse) {
      expect((reply.body as { error: { code: string } }).error.code).toBe('IDEMPOTENCY_KEY_IN_USE');
    }
    expect(await api.countMessages()).toBe(messagesBefore + 1);
    expect(await api.countOriginals()).toBe(objectsBefore + 1);
  });
});

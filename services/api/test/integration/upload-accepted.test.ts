import { GetObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import type { UploadReply } from '@photo-pipeline/shared/contracts';
import { gifBytes, jpegBytes, pngBytes } from '@photo-pipeline/test-support/image-builders';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiHarness, postImages, startApiHarness } from '../support/api-harness.ts';

let api: ApiHarness;

beforeAll(async () => {
  api = await startApiHarness();
});
afterAll(async () => {
  await api?.close();
});

describe('POST /v1/images', () => {
  it('stores a JPEG under a key made from its image id and queues one ImageUploaded message', async () => {
    // Prepare
    const bytes = jpegBytes({ width: 800, height: 600, bytes: 50_000 });
    const messagesBefore = await api.countMessages();
    const metricsBefore = api.metrics.recorded.length;

    // Act
    const reply = await postImages(api.url, [{ name: '../../etc/passwd.png', bytes, type: 'image/png' }]);

    // Assess
    expect(reply.status).toBe(202);
    const body = reply.body as UploadReply;
    const [image] = body.images;
    expect(image).toMatchObject({
      contentType: 'image/jpeg',
      bytes: 50_000,
      width: 800,
      height: 600,
      originalName: 'passwd.png',
    });
    expect(image?.key).toBe(`originals/${image?.imageId}`);
    expect(reply.headers.get('location')).toBe(`/v1/images/${image?.imageId}`);
    expect(reply.headers.get('x-request-id')).toBeTruthy();
    expect(reply.headers.get('x-content-type-options')).toBe('nosniff');
    expect(reply.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(reply.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(reply.headers.get('content-security-policy')).not.toContain('upgrade-insecure-requests');
    const stored = await api.deps.aws.s3.send(
      new GetObjectCommand({ Bucket: api.deps.config.UPLOADS_BUCKET, Key: image?.key }),
    );
    expect(stored.ContentType).toBe('image/jpeg');
    expect(Buffer.from((await stored.Body?.transformToByteArray()) ?? []).equals(bytes)).toBe(true);
    const metrics = api.metrics.recorded.slice(metricsBefore);
    expect(metrics).toContainEqual({ name: 'UploadsAccepted', value: 1 });
    expect(metrics).toContainEqual({ name: 'UploadBytes', value: 50_000 });
    expect(metrics.find((metric) => metric.name === 'UploadLatency')?.value).toBeGreaterThan(0);
    expect(await api.countMessages()).toBe(messagesBefore + 1);
    const messages = await api.receiveMessages();
    const message = messages.find((m) => m.imageId === image?.imageId);
    expect(message).toMatchObject({
      type: 'ImageUploaded',
      version: 1,
      batchId: body.batchId,
      key: image?.key,
      contentType: 'image/jpeg',
      bytes: 50_000,
      sha256: image?.sha256,
    });
  });

  it('uploads several files of one batch in one request, in order, with the given batch id', async () => {
    const reply = await postImages(
      api.url,
      [
        { name: 'a.png', bytes: pngBytes({ width: 10, height: 20 }) },
        { name: 'b.gif', bytes: gifBytes(30, 40) },
      ],
      { fields: { batchId: 'holiday-2026' } },
    );
    expect(reply.status).toBe(202);
    const body = reply.body as UploadReply;
    expect(body.batchId).toBe('holiday-2026');
    expect(body.images.map((i) => [i.originalName, i.contentType, i.width, i.height, i.batchId])).toEqual([
      ['a.png', 'image/png', 10, 20, 'holiday-2026'],
      ['b.gif', 'image/gif', 30, 40, 'holiday-2026'],
    ]);
    expect(reply.headers.get('location')).toBeNull();
    for (const image of body.images) {
      await api.deps.aws.s3.send(
        new HeadObjectCommand({ Bucket: api.deps.config.UPLOADS_BUCKET, Key: image.key }),
      );
    }
  });

  it('accepts any file name, emoji and U+FFFF included, and queues it exactly as sent', async () => {
    const names = ['sunset \u{1F305}\u{1F600}.png', 'odd \uFFFF name.gif'];
    const reply = await postImages(api.url, [
      { name: names[0] ?? '', bytes: pngBytes({ width: 4, height: 4 }) },
      { name: names[1] ?? '', bytes: gifBytes(4, 4) },
    ]);
    expect(reply.status).toBe(202);
    const body = reply.body as UploadReply;
    expect(body.images.map((image) => image.originalName)).toEqual(names);
    const queued = new Map<string, string>();
    for (let round = 0; round < 20 && queued.size < names.length; round++) {
      for (const message of await api.receiveMessages()) {
        if (body.images.some((image) => image.imageId === message.imageId)) {
          queued.set(message.imageId, message.originalName);
        }
      }
    }
    expect(body.images.map((image) => queued.get(image.imageId))).toEqual(names);
  });

  it('counts rejects by code in the metrics', async () => {
    await postImages(api.url, [{ name: 'x', bytes: Buffer.from('not an image, just some words') }]);
    expect(api.metrics.recorded).toContainEqual({
      name: 'UploadsRejected',
      value: 1,
      dimensions: { ErrorCode: 'UNSUPPORTED_MEDIA_TYPE' },
    });
    expect(api.metrics.recorded.some((m) => m.name === 'UploadsAccepted')).toBe(true);
  });
});

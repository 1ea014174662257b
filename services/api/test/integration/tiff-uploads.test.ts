import { createHash } from 'node:crypto';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { tiffBytes } from '@photo-pipeline/test-support/image-builders';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maxHeaderProbeBytes, singlePutMaxBytes } from '../../src/core/upload/upload-limits.ts';
import { type ApiHarness, postImages, startApiHarness } from '../support/api-harness.ts';

interface UploadReply {
  images: { key: string; contentType: string; width: number; height: number; sha256: string }[];
}
interface ErrorReply {
  error: { code: string; message: string };
}

let api: ApiHarness;
beforeAll(async () => {
  api = await startApiHarness();
});
afterAll(async () => {
  await api?.close();
});

const sha256Hex = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

async function storedBytes(key: string): Promise<Buffer> {
  const bucket = api.deps.config.UPLOADS_BUCKET;
  const reply = await api.deps.aws.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return Buffer.from((await reply.Body?.transformToByteArray()) ?? []);
}

describe('TIFFs whose image directory (and so their dimensions) comes after the pixels', () => {
  it.each([
    ['over the header probe, stored with one PutObject', 1200, 1000, 'II'],
    ['big-endian, over the header probe', 1600, 1000, 'MM'],
    ['over one part, streamed as a multipart upload', 2600, 2200, 'II'],
  ] as const)('accepts one %s, with its dimensions, intact', async (_name, width, height, order) => {
    const bytes = tiffBytes({ width, height, order });
    expect(bytes.length).toBeGreaterThan(maxHeaderProbeBytes);

    const reply = await postImages(api.url, [{ name: 'scan.tif', bytes }]);

    expect(reply.status, JSON.stringify(reply.body)).toBe(202);
    const [image] = (reply.body as UploadReply).images;
    expect(image).toMatchObject({ contentType: 'image/tiff', width, height, sha256: sha256Hex(bytes) });
    expect((await storedBytes(image?.key ?? '')).equals(bytes)).toBe(true);
  });

  it.each([
    ['within one part', 2 * 1024 * 1024],
    ['beyond one part, after its multipart upload began', singlePutMaxBytes + 1024 * 1024],
  ])(
    'refuses a TIFF whose late directory claims too many pixels (%s), storing nothing',
    async (_name, pixelBytes) => {
      const bomb = tiffBytes({ width: 100_000, height: 100_000, pixelBytes });
      const objectsBefore = await api.countOriginals();
      const messagesBefore = await api.countMessages();

      const reply = await postImages(api.url, [{ name: 'bomb.tif', bytes: bomb }]);

      expect(reply.status).toBe(422);
      expect((reply.body as ErrorReply).error.code).toBe('IMAGE_TOO_MANY_PIXELS');
      expect(await api.countOriginals()).toBe(objectsBefore);
      expect(await api.countMessages()).toBe(messagesBefore);
    },
  );

  it('refuses a TIFF whose header points into its pixels (no directory there) as IMAGE_CORRUPT', async () => {
    const misdirected = tiffBytes({ width: 1500, height: 1500, directoryOffset: 1_500_000 });
    const objectsBefore = await api.countOriginals();

    const reply = await postImages(api.url, [{ name: 'odd.tif', bytes: misdirected }]);

    expect(reply.status).toBe(422);
    expect((reply.body as ErrorReply).error).toMatchObject({
      code: 'IMAGE_CORRUPT',
      message: expect.stringContaining('no readable dimensions'),
    });
    expect(await api.countOriginals()).toBe(objectsBefore);
  });

  it('refuses a TIFF whose header points past its end as IMAGE_CORRUPT, storing nothing', async () => {
    const truncated = tiffBytes({ width: 1200, height: 1000 }).subarray(0, 1_100_000);
    const objectsBefore = await api.countOriginals();

    const reply = await postImages(api.url, [{ name: 'cut.tif', bytes: truncated }]);

    expect(reply.status).toBe(422);
    expect((reply.body as ErrorReply).error).toMatchObject({
      code: 'IMAGE_CORRUPT',
      message: expect.stringContaining('image directory'),
    });
    expect(await api.countOriginals()).toBe(objectsBefore);
  });
});

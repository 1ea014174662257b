import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { newImageId } from '@photo-pipeline/shared/contracts';
import { jpegBytes } from '@photo-pipeline/test-support/image-builders';
import { describe, expect, it } from 'vitest';
import { storeFile } from '../../src/core/upload/store-file.ts';
import type { UploadLimits } from '../../src/core/upload/upload-limits.ts';
import { memoryObjectStore } from '../support/memory-ports.ts';

const singlePutMaxBytes = 64 * 1024;
const limits: UploadLimits = {
  maxUploadBytes: 1024 * 1024,
  maxFilesPerRequest: 5,
  maxFieldsPerRequest: 5,
  maxFieldBytes: 100,
  maxImagePixels: 10_000_000,
  maxHeaderProbeBytes: 16 * 1024,
  singlePutMaxBytes,
};

/** The bytes as a stream of chunks of `chunkBytes`, as a multipart parser hands them on. */
function streamOf(bytes: Buffer, chunkBytes = 7_000): Readable {
  const chunks: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += chunkBytes) chunks.push(bytes.subarray(at, at + chunkBytes));
  return Readable.from(chunks);
}

async function store(bytes: Buffer, overrides: Partial<UploadLimits> = {}) {
  const objects = memoryObjectStore();
  const imageId = newImageId();
  const result = await storeFile(
    objects,
    { ...limits, ...overrides },
    { imageId, stream: streamOf(bytes), originalName: 'photo.jpg', now: () => new Date() },
  ).catch((error: unknown) => error);
  return { objects, result, key: `originals/${imageId}` };
}

const sha256Of = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

describe('storeFile: one PutObject for a file that fits, multipart streaming for a larger one', () => {
  it('stores a file under the threshold with one put carrying its SHA-256', async () => {
    const bytes = jpegBytes({ bytes: 20_000 });
    const { objects, result, key } = await store(bytes);
    expect(result).toMatchObject({ key, bytes: 20_000, sha256: sha256Of(bytes), contentType: 'image/jpeg' });
    expect(objects.fileWrites).toEqual([{ key, via: 'single put', sha256: sha256Of(bytes) }]);
    expect((objects.objects.get(key) as Buffer).equals(bytes)).toBe(true);
  });

  it('stores a file of exactly the threshold with one put', async () => {
    const bytes = jpegBytes({ bytes: singlePutMaxBytes });
    const { objects, result, key } = await store(bytes);
    expect(result).toMatchObject({ bytes: singlePutMaxBytes, sha256: sha256Of(bytes) });
    expect(objects.fileWrites.map((write) => write.via)).toEqual(['single put']);
    expect((objects.objects.get(key) as Buffer).equals(bytes)).toBe(true);
  });

  it('streams a file one byte over the threshold, intact and with the SHA-256 of all of it', async () => {
    const bytes = jpegBytes({ bytes: singlePutMaxBytes + 1 });
    const { objects, result, key } = await store(bytes);
    expect(result).toMatchObject({ bytes: singlePutMaxBytes + 1, sha256: sha256Of(bytes) });
    expect(objects.fileWrites).toEqual([{ key, via: 'stream' }]);
    expect((objects.objects.get(key) as Buffer).equals(bytes)).toBe(true);
  });

  it('streams a file many times the threshold, intact', async () => {
    const bytes = jpegBytes({ bytes: 10 * singlePutMaxBytes + 123 });
    const { objects, result, key } = await store(bytes);
    expect(result).toMatchObject({ bytes: bytes.length, sha256: sha256Of(bytes) });
    expect(objects.fileWrites.map((write) => write.via)).toEqual(['stream']);
    expect((objects.objects.get(key) as Buffer).equals(bytes)).toBe(true);
  });

  it('refuses a file one byte over a byte limit equal to the threshold and stores nothing', async () => {
    const { objects, result } = await store(jpegBytes({ bytes: singlePutMaxBytes + 1 }), {
      maxUploadBytes: singlePutMaxBytes,
    });
    expect(result).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    expect(objects.fileWrites).toEqual([]);
    expect(objects.objects.size).toBe(0);
  });

  it('accepts a file of exactly a byte limit equal to the threshold', async () => {
    const bytes = jpegBytes({ bytes: singlePutMaxBytes });
    const { objects, result } = await store(bytes, { maxUploadBytes: singlePutMaxBytes });
    expect(result).toMatchObject({ bytes: singlePutMaxBytes });
    expect(objects.fileWrites.map((write) => write.via)).toEqual(['single put']);
  });

  it('refuses a file over a byte limit below the threshold before anything is stored', async () => {
    const { objects, result } = await store(jpegBytes({ bytes: 40_001 }), { maxUploadBytes: 40_000 });
    expect(result).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    expect(objects.fileWrites).toEqual([]);
  });

  it('stores nothing when the body breaks off before the end of a file under the threshold', async () => {
    const objects = memoryObjectStore();
    const bytes = jpegBytes({ bytes: 30_000 });
    const broken = new Readable({ read() {} });
    broken.push(bytes.subarray(0, 10_000));
    setImmediate(() => broken.destroy(new Error('socket hang up')));
    const result = await storeFile(objects, limits, {
      imageId: newImageId(),
      stream: broken,
      originalName: 'photo.jpg',
      now: () => new Date(),
    }).catch((error: unknown) => error);
    expect(result).toMatchObject({ code: 'UPLOAD_ABORTED' });
    expect(objects.fileWrites).toEqual([]);
  });
});

import { Readable } from 'node:stream';
import { jpegBytes } from '@photo-pipeline/test-support/image-builders';
import { describe, expect, it } from 'vitest';
import { createImageCheck } from '../../src/core/upload/image-check.ts';
import { readChecked } from '../../src/core/upload/read-checked.ts';

const limits = { maxUploadBytes: 1024 * 1024, maxImagePixels: 10_000_000, maxHeaderProbeBytes: 16 * 1024 };

function chunked(bytes: Buffer, chunkBytes = 1000): Readable {
  const chunks: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += chunkBytes) chunks.push(bytes.subarray(at, at + chunkBytes));
  return Readable.from(chunks);
}

describe('readChecked', () => {
  it('reads a file that ends within the bound whole, checked and hashed', async () => {
    const bytes = jpegBytes({ bytes: 5_000 });
    const check = createImageCheck(limits);

    const head = await readChecked(chunked(bytes), check, 5_000);

    expect(head.ended).toBe(true);
    expect(Buffer.concat(head.chunks).equals(bytes)).toBe(true);
    expect(check.header).toMatchObject({ contentType: 'image/jpeg' });
    expect(check.summary().bytes).toBe(5_000);
  });

  it('stops once past the bound and leaves the rest in the stream for the next reader', async () => {
    const bytes = jpegBytes({ bytes: 10_000 });
    const stream = chunked(bytes);

    const head = await readChecked(stream, createImageCheck(limits), 2_500);

    expect(head.ended).toBe(false);
    expect(head.bytes).toBe(3_000);
    const rest: Buffer[] = [];
    for await (const chunk of stream) rest.push(chunk as Buffer);
    expect(Buffer.concat([...head.chunks, ...rest]).equals(bytes)).toBe(true);
  });

  it('rejects with the check refusal and destroys the stream', async () => {
    const stream = chunked(Buffer.alloc(10_000, 0x41));

    await expect(readChecked(stream, createImageCheck(limits), 100_000)).rejects.toMatchObject({
      code: 'UNSUPPORTED_MEDIA_TYPE',
    });
    expect(stream.destroyed).toBe(true);
  });

  it('rejects with the byte limit when the file passes it within the bound', async () => {
    const check = createImageCheck({ ...limits, maxUploadBytes: 4_000 });

    await expect(readChecked(chunked(jpegBytes({ bytes: 4_001 })), check, 100_000)).rejects.toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
    });
  });

  it('rejects with the error of a stream that breaks off', async () => {
    const stream = new Readable({ read() {} });
    stream.push(jpegBytes({ bytes: 2_000 }));
    setImmediate(() => stream.destroy(new Error('socket hang up')));

    await expect(readChecked(stream, createImageCheck(limits), 100_000)).rejects.toThrow('socket hang up');
  });

  it('rejects at once for a stream that failed before it was read', async () => {
    const stream = new Readable({ read() {} });
    stream.on('error', () => undefined);
    stream.destroy(new Error('gone'));
    await new Promise((resolve) => setImmediate(resolve));

    await expect(readChecked(stream, createImageCheck(limits), 1_000)).rejects.toThrow('gone');
  });
});

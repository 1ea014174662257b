import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { jpegBytes, pngBytes } from '@photo-pipeline/test-support/image-builders';
import { describe, expect, it } from 'vitest';
import { createCheckedStream } from '../../src/core/upload/checked-stream.ts';
import { createImageCheck } from '../../src/core/upload/image-check.ts';

const limits = { maxUploadBytes: 64 * 1024, maxImagePixels: 1_000_000, maxHeaderProbeBytes: 16 * 1024 };

/**
 * Feeds `bytes` in small chunks through a checked stream and collects what comes out; `header` is the
 * accepted header, or the refusal when the check refused the file before accepting one.
 */
async function inspect(bytes: Buffer, chunkBytes = 7) {
  const check = createImageCheck(limits);
  const chunks = Array.from({ length: Math.ceil(bytes.length / chunkBytes) }, (_, i) =>
    bytes.subarray(i * chunkBytes, (i + 1) * chunkBytes),
  );
  const out: Buffer[] = [];
  const done = pipeline(
    Readable.from(chunks),
    createCheckedStream(check),
    async (source: AsyncIterable<Buffer>) => {
      for await (const chunk of source) out.push(chunk);
    },
  );
  const result = await done.then(
    () => undefined,
    (error: unknown) => error,
  );
  return { header: check.header ?? result, error: result, out: Buffer.concat(out), summary: check.summary() };
}

describe('createCheckedStream', () => {
  it('passes an accepted image through unchanged, with its type, dimensions, size and SHA-256', async () => {
    const bytes = jpegBytes({ width: 800, height: 600, bytes: 20_000 });
    const { header, error, out, summary } = await inspect(bytes);
    expect(error).toBeUndefined();
    expect(header).toEqual({ contentType: 'image/jpeg', width: 800, height: 600 });
    expect(out.equals(bytes)).toBe(true);
    expect(summary.bytes).toBe(20_000);
    expect(summary.sha256).toMatch(/^[a-f0-9]{64}$/);
  });

  it('lets nothing out for a pixel bomb and names the dimensions', async () => {
    const { header, out } = await inspect(pngBytes({ width: 50_000, height: 50_000, bytes: 4096 }));
    expect(header).toMatchObject({
      code: 'IMAGE_TOO_MANY_PIXELS',
      details: { width: 50_000, height: 50_000 },
    });
    expect(out.length).toBe(0);
  });

  it('lets nothing out for bytes that are not an image', async () => {
    const { header, out } = await inspect(Buffer.alloc(4096, 0x41));
    expect(header).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE' });
    expect(out.length).toBe(0);
  });

  it('fails the stream as soon as the byte limit is passed', async () => {
    const { header, error } = await inspect(jpegBytes({ bytes: limits.maxUploadBytes + 1 }), 1024);
    expect(header).toMatchObject({ contentType: 'image/jpeg' });
    expect(error).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
  });

  it('calls an image whose dimensions are not in the first bytes unreadable', async () => {
    const noFrame = Buffer.concat([
      Buffer.from([0xff, 0xd8, 0xff, 0xe1, 0xff, 0xff]),
      Buffer.alloc(40_000, 0x11),
    ]);
    const { header } = await inspect(noFrame, 4096);
    expect(header).toMatchObject({ code: 'IMAGE_CORRUPT' });
  });

  it('calls an empty file corrupt', async () => {
    const { header } = await inspect(Buffer.alloc(0));
    expect(header).toMatchObject({ code: 'IMAGE_CORRUPT', message: 'the file is empty (0 bytes)' });
  });
});

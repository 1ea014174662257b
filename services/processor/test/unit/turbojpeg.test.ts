import { readFile } from 'node:fs/promises';
import { PermanentError } from '@photo-pipeline/shared/errors';
import sharp, { type JpegOptions } from 'sharp';
import { describe, expect, it } from 'vitest';
import { decodeImage } from '../../src/core/image/decode-image.ts';
import { encodeImage } from '../../src/core/image/encode-image.ts';
import { loadTurboJpeg } from '../../src/core/image/turbojpeg.ts';
import { createBufferPool } from '../../src/core/model/buffer-pool.ts';

const maxPixels = 50_000_000;

/** A photo-like RGB image (smooth shapes and grain), so every DCT coefficient and the upsampling matter. */
async function photoPixels(width: number, height: number, seed: number): Promise<Buffer> {
  const shapes = await sharp({
    create: {
      width: 16,
      height: 12,
      channels: 3,
      background: { r: (seed * 37) % 256, g: 90, b: 160 },
      noise: { type: 'gaussian', mean: 128, sigma: 70 },
    },
  })
    .png()
    .toBuffer();
  return sharp(shapes).resize(width, height, { kernel: 'cubic' }).raw().toBuffer();
}

async function photoJpeg(
  width: number,
  height: number,
  options: JpegOptions = {},
  seed = 1,
): Promise<Buffer> {
  return sharp(await photoPixels(width, height, seed), { raw: { width, height, channels: 3 } })
    .jpeg({ quality: 92, ...options })
    .toBuffer();
}

/** What sharp alone decodes: the reference every direct decode must equal byte for byte. */
function sharpPixels(bytes: Buffer): Promise<Buffer> {
  return sharp(bytes).autoOrient().toColourspace('srgb').removeAlpha().raw({ depth: 'uchar' }).toBuffer();
}

function psnr(a: Uint8Array, b: Uint8Array): number {
  let squared = 0;
  for (let i = 0; i < a.length; i++) squared += ((a[i] ?? 0) - (b[i] ?? 0)) ** 2;
  return 10 * Math.log10((255 * 255) / (squared / a.length));
}

const glibcRuntime = (
  process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined
)?.header?.glibcVersionRuntime;
const onGlibcLinuxX64 = process.platform === 'linux' && process.arch === 'x64' && glibcRuntime !== undefined;

describe('libjpeg-turbo, loaded directly', () => {
  it('loads from @julusian/jpeg-turbo on Linux x64, or says why not elsewhere', () => {
    const turbo = loadTurboJpeg();
    if (onGlibcLinuxX64) {
      expect(turbo.available).toBe(true);
      if (turbo.available) expect(turbo.codec.library).toMatch(/jpeg-turbo-linux-x64\/libturbojpeg\.so/);
    } else if (!turbo.available) {
      expect(turbo.reason).not.toBe('');
    }
  });
});

describe.runIf(onGlibcLinuxX64)('decoding plain JPEGs with libjpeg-turbo', () => {
  const cases: [string, () => Promise<Buffer>][] = [
    ['4:2:0, odd size', () => photoJpeg(333, 211)],
    ['4:4:4', () => photoJpeg(320, 240, { chromaSubsampling: '4:4:4' })],
    ['progressive', () => photoJpeg(300, 200, { progressive: true })],
    [
      'greyscale',
      async () =>
        sharp(await photoPixels(257, 129, 3), { raw: { width: 257, height: 129, channels: 3 } })
          .greyscale()
          .jpeg({ quality: 90 })
          .toBuffer(),
    ],
    // Arithmetic coding (no encoder here writes it: the fixture came from libjpeg-turbo's own
    // TJPARAM_ARITHMETIC at quality 92, 161 x 97); sharp's libjpeg-turbo decodes it too.
    ['arithmetic-coded', () => readFile(new URL('../fixtures/arithmetic-coded.jpg', import.meta.url))],
  ];

  it.each(cases)('%s: gives exactly the pixels sharp gives', async (_label, make) => {
    const bytes = await make();
    const decoded = await decodeImage(bytes, maxPixels);
    expect(decoded.decoder).toBe('libjpeg-turbo');
    const reference = await sharpPixels(bytes);
    expect(decoded.rgb.length).toBe(reference.length);
    expect(Buffer.compare(decoded.rgb, reference)).toBe(0);
    expect(decoded.alpha).toBeUndefined();
  });

  it('decodes images in flight at once, each into its own buffer', async () => {
    const images = await Promise.all([1, 2, 3, 4, 5, 6].map((seed) => photoJpeg(200 + seed, 150, {}, seed)));
    const decoded = await Promise.all(images.map((bytes) => decodeImage(bytes, maxPixels)));
    for (const [index, image] of decoded.entries()) {
      expect(image.decoder).toBe('libjpeg-turbo');
      expect(image.width).toBe(201 + index);
      expect(Buffer.compare(image.rgb, await sharpPixels(images[index] as Buffer))).toBe(0);
    }
  });

  it('decodes into a pooled buffer, reused once released', async () => {
    const pool = createBufferPool(1);
    const first = await decodeImage(await photoJpeg(120, 80, {}, 1), maxPixels, pool);
    const firstMemory = first.rgb.buffer;
    first.release();
    const secondBytes = await photoJpeg(120, 80, {}, 2);
    const second = await decodeImage(secondBytes, maxPixels, pool);
    expect(second.rgb.buffer).toBe(firstMemory);
    expect(Buffer.compare(second.rgb, await sharpPixels(secondBytes))).toBe(0);
    // Held by an image in flight, the buffer is not handed out again.
    const third = await decodeImage(await photoJpeg(120, 80, {}, 3), maxPixels, pool);
    expect(third.rgb.buffer).not.toBe(firstMemory);
  });

  it('leaves to sharp what it would change: EXIF rotation, an embedded profile, CMYK, other formats', async () => {
    const rotated = await sharp(await photoJpeg(60, 40))
      .withMetadata({ orientation: 6 })
      .toBuffer();
    const rotatedImage = await decodeImage(rotated, maxPixels);
    expect(rotatedImage.decoder).toBe('sharp');
    expect([rotatedImage.width, rotatedImage.height]).toEqual([40, 60]);

    const displayP3 = await sharp(await photoJpeg(60, 40))
      .withIccProfile('p3')
      .toBuffer();
    const converted = await decodeImage(displayP3, maxPixels);
    expect(converted.decoder).toBe('sharp');
    expect(Buffer.compare(converted.rgb, await sharpPixels(displayP3))).toBe(0);

    const cmyk = await sharp(await photoJpeg(50, 30))
      .toColourspace('cmyk')
      .jpeg()
      .toBuffer();
    const fromCmyk = await decodeImage(cmyk, maxPixels);
    expect(fromCmyk.decoder).toBe('sharp');
    expect(Buffer.compare(fromCmyk.rgb, await sharpPixels(cmyk))).toBe(0);

    const png = await sharp(await photoJpeg(30, 20))
      .png()
      .toBuffer();
    expect((await decodeImage(png, maxPixels)).decoder).toBe('sharp');
  });

  it('falls back to sharp for a truncated JPEG, whose rules then decide', async () => {
    const whole = await photoJpeg(400, 300);
    const truncated = whole.subarray(0, Math.floor(whole.length * 0.6));
    const outcome = await decodeImage(truncated, maxPixels).then(
      (image) => ({ decoder: image.decoder }),
      (error: unknown) => ({ code: error instanceof PermanentError ? error.code : String(error) }),
    );
    // sharp with failOn 'error' refuses a truncated file; libjpeg-turbo alone would have filled it grey.
    expect(outcome).toEqual({ code: 'IMAGE_CORRUPT' });
  });
});

describe.runIf(onGlibcLinuxX64)('encoding with libjpeg-turbo', () => {
  it('writes a baseline 4:2:0 JPEG as close to the pixels as sharp’s encoder at the same quality', async () => {
    const [width, height] = [640, 480];
    const pixels = await photoPixels(width, height, 7);
    const direct = await encodeImage(pixels, width, height, undefined, { jpegQuality: 90 });
    expect(direct.contentType).toBe('image/jpeg');
    const viaSharp = await sharp(pixels, { raw: { width, height, channels: 3 } })
      .jpeg({ quality: 90, chromaSubsampling: '4:2:0', optimiseCoding: false, mozjpeg: false })
      .toBuffer();
    const metadata = await sharp(direct.bytes).metadata();
    expect(metadata).toMatchObject({ format: 'jpeg', width, height, chromaSubsampling: '4:2:0' });
    expect(metadata.isProgressive).toBe(false);
    const directQuality = psnr(pixels, await sharp(direct.bytes).raw().toBuffer());
    const sharpQuality = psnr(pixels, await sharp(viaSharp).raw().toBuffer());
    expect(directQuality).toBeGreaterThan(38);
    expect(Math.abs(directQuality - sharpQuality)).toBeLessThan(0.2);
    expect(direct.bytes.length / viaSharp.length).toBeGreaterThan(0.97);
    expect(direct.bytes.length / viaSharp.length).toBeLessThan(1.03);
  });

  it('returns bytes of its own: the next encode does not overwrite them', async () => {
    const first = await photoPixels(100, 60, 1);
    const second = await photoPixels(300, 200, 2);
    const a = await encodeImage(first, 100, 60, undefined, { jpegQuality: 85 });
    const copy = Buffer.from(a.bytes);
    await encodeImage(second, 300, 200, undefined, { jpegQuality: 85 });
    expect(Buffer.compare(a.bytes, copy)).toBe(0);
    const back = await sharp(a.bytes).metadata();
    expect([back.width, back.height]).toEqual([100, 60]);
  });
});

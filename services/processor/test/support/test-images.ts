import { crc32 } from 'node:zlib';
import sharp from 'sharp';

/**
 * Images made in the test with sharp. The base picture is a smooth gradient with dark and light areas,
 * so the foreground count is neither 0 nor everything and JPEG round trips stay close.
 */
export function gradientRgb(width: number, height: number, channels: 3 | 4 = 3): Buffer {
  const pixels = Buffer.alloc(width * height * channels);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const offset = (y * width + x) * channels;
      pixels[offset] = Math.round((x / Math.max(1, width - 1)) * 255);
      pixels[offset + 1] = Math.round((y / Math.max(1, height - 1)) * 255);
      pixels[offset + 2] = Math.round(((x + y) / Math.max(1, width + height - 2)) * 160);
      if (channels === 4) pixels[offset + 3] = (x * 7 + y * 3) % 256;
    }
  }
  return pixels;
}

const raw = (width: number, height: number, channels: 3 | 4 = 3) =>
  sharp(gradientRgb(width, height, channels), { raw: { width, height, channels } });

export const testImages = {
  jpeg: (width = 64, height = 48) => raw(width, height).jpeg({ quality: 95 }).toBuffer(),
  pngWithAlpha: (width = 40, height = 30) => raw(width, height, 4).png().toBuffer(),
  cmykJpeg: (width = 48, height = 32) =>
    raw(width, height).toColourspace('cmyk').jpeg({ quality: 95 }).toBuffer(),
  png16Bit: (width = 36, height = 28) => raw(width, height).toColourspace('rgb16').png().toBuffer(),
  grey: (width = 50, height = 20) => raw(width, height).greyscale().png().toBuffer(),
  /** Stored 64x48 with EXIF orientation 6 (rotate 90° clockwise): displayed 48x64. */
  exifRotatedJpeg: () => raw(64, 48).withMetadata({ orientation: 6 }).jpeg({ quality: 95 }).toBuffer(),
  /** Two 32x24 frames, different colours; the processor uses the first. */
  animatedGif: async () => {
    const frame = gradientRgb(32, 24, 4).fill(255, 0, 0);
    const first = gradientRgb(32, 24, 4);
    for (let i = 3; i < first.length; i += 4) first[i] = 255;
    const second = Buffer.from(frame);
    for (let i = 0; i < second.length; i += 4) {
      second[i] = 250;
      second[i + 1] = 10;
      second[i + 2] = 10;
      second[i + 3] = 255;
    }
    return sharp(Buffer.concat([first, second]), {
      raw: { width: 32, height: 48, channels: 4, pageHeight: 24 },
    })
      .gif({ loop: 0, delay: [100, 100] })
      .toBuffer();
  },
  webp: (width = 44, height = 33) => raw(width, height).webp({ lossless: true }).toBuffer(),
  truncatedJpeg: async () => {
    const whole = await raw(64, 48).jpeg({ quality: 95 }).toBuffer();
    return whole.subarray(0, Math.floor(whole.length * 0.6));
  },
  zeroBytes: async () => Buffer.alloc(0),
  textNamedJpg: async () => Buffer.from('this is a text file, not a picture\n'),
  /** A valid PNG whose header claims 30000x30000 pixels (900 megapixels). */
  decompressionBomb: async () => {
    const png = Buffer.from(await raw(1, 1).png().toBuffer());
    // IHDR data starts at byte 16 (8 signature + 4 length + 4 type); the CRC covers type + data.
    png.writeUInt32BE(30_000, 16);
    png.writeUInt32BE(30_000, 20);
    png.writeUInt32BE(crc32(png.subarray(12, 29)), 29);
    return png;
  },
} as const;

export interface DecodedReference {
  readonly width: number;
  readonly height: number;
  readonly channels: number;
  readonly data: Buffer;
}

/** The input as the pipeline promises to see it: first frame, EXIF-oriented, 8-bit sRGB. */
export async function decodeReference(bytes: Buffer): Promise<DecodedReference> {
  const { data, info } = await sharp(bytes, { pages: 1 })
    .autoOrient()
    .toColourspace('srgb')
    .raw({ depth: 'uchar' })
    .toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, channels: info.channels, data };
}

export async function decodeOutput(bytes: Buffer): Promise<DecodedReference> {
  const { data, info } = await sharp(bytes).raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, channels: info.channels, data };
}

/** Pixels whose channels are all <= 127: the default model's foreground rule on the original. */
export function foregroundOf(image: DecodedReference): number {
  let count = 0;
  for (let i = 0; i < image.data.length; i += image.channels) {
    if (
      (image.data[i] ?? 255) <= 127 &&
      (image.data[i + 1] ?? 255) <= 127 &&
      (image.data[i + 2] ?? 255) <= 127
    ) {
      count++;
    }
  }
  return count;
}

export interface InverseComparison {
  readonly maxColourError: number;
  readonly meanColourError: number;
  /** Largest difference between input and output alpha (alpha must be kept, not inverted). */
  readonly maxAlphaError: number;
}

/** How far the output's colour is from 255 - input, and its alpha from the input's alpha. */
export function compareInverse(input: DecodedReference, output: DecodedReference): InverseComparison {
  const pixels = input.width * input.height;
  let max = 0;
  let sum = 0;
  let maxAlpha = 0;
  for (let p = 0; p < pixels; p++) {
    for (let c = 0; c < 3; c++) {
      const expected = 255 - (input.data[p * input.channels + c] ?? 0);
      const error = Math.abs((output.data[p * output.channels + c] ?? 0) - expected);
      max = Math.max(max, error);
      sum += error;
    }
    if (input.channels === 4) {
      const alphaError = Math.abs((output.data[p * output.channels + 3] ?? 0) - (input.data[p * 4 + 3] ?? 0));
      maxAlpha = Math.max(maxAlpha, alphaError);
    }
  }
  return { maxColourError: max, meanColourError: sum / (pixels * 3), maxAlphaError: maxAlpha };
}

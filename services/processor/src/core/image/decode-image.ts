import { PermanentError } from '@photo-pipeline/shared/errors';
import { unreadableImageError } from '@photo-pipeline/shared/images';
import sharp, { type Metadata } from 'sharp';
import type { BufferPool } from '../model/buffer-pool.ts';
import { decodableFormats } from './image-limits.ts';
import { loadTurboJpeg } from './turbojpeg.ts';

export interface DecodedImage {
  readonly width: number;
  readonly height: number;
  /** RGB interleaved, 8 bits per channel, sRGB, EXIF orientation applied. */
  readonly rgb: Buffer;
  /** The alpha channel (one byte per pixel), when the image has one. */
  readonly alpha: Buffer | undefined;
  /** The format sharp found in the bytes (jpeg, png, ...). */
  readonly format: string;
  /** Which library decoded the pixels. */
  readonly decoder: 'libjpeg-turbo' | 'sharp';
  /** Gives `rgb` back to its pool (when it came from one); neither buffer may be used afterwards. */
  release(): void;
}

function isDecodable(format: string | undefined): format is (typeof decodableFormats)[number] {
  return decodableFormats.some((allowed) => allowed === format);
}

/**
 * Decodes image bytes into 8-bit sRGB under a pixel limit: EXIF orientation applied; CMYK, 16-bit,
 * palette and grey inputs converted; an alpha channel split off; animated images use their first frame.
 * Every failure is a PermanentError. Unreadable bytes follow the shared rule (unreadableImageError): a
 * known image signature with a damaged body IMAGE_CORRUPT, no image signature UNSUPPORTED_MEDIA_TYPE. Too many pixels is
 * IMAGE_TOO_MANY_PIXELS (checked on the header, before anything is decoded).
 */
export async function decodeImage(
  bytes: Buffer,
  maxPixels: number,
  buffers?: BufferPool,
): Promise<DecodedImage> {
  if (bytes.length === 0) throw unreadableImageError(bytes, 'no bytes');
  let metadata: Metadata;
  try {
    // Only the header is read here; the pixel limit is checked below with a clearer message.
    metadata = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch (cause) {
    throw unreadableImageError(bytes, `its header cannot be read (${reasonOf(cause)})`, {
      cause,
      accepted: decodableFormats,
    });
  }
  if (!isDecodable(metadata.format)) {
    throw new PermanentError(
      'UNSUPPORTED_MEDIA_TYPE',
      `${metadata.format ?? 'this'} images are not supported (supported: ${decodableFormats.join(', ')})`,
    );
  }
  const width = metadata.width;
  // For animated images sharp reports the height of all frames stacked; the first frame is pageHeight.
  const height = metadata.pageHeight ?? metadata.height;
  if (!width || !height) throw new PermanentError('IMAGE_CORRUPT', 'the image header has no dimensions');
  if (width * height > maxPixels) {
    throw new PermanentError(
      'IMAGE_TOO_MANY_PIXELS',
      `the image is ${width}x${height} (${width * height} pixels), over the limit of ${maxPixels} pixels`,
      { details: { width, height, maxPixels } },
    );
  }
  const direct = await decodeJpegDirectly(bytes, metadata, width, height, buffers);
  if (direct) return direct;
  try {
    const { data, info } = await sharp(bytes, {
      limitInputPixels: maxPixels,
      failOn: 'error',
      pages: 1,
      page: 0,
    })
      .autoOrient()
      .toColourspace('srgb')
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
    return {
      ...splitAlpha(data, info.width, info.height, info.channels),
      format: metadata.format,
      decoder: 'sharp',
      release: () => {},
    };
  } catch (cause) {
    if (cause instanceof PermanentError) throw cause;
    throw new PermanentError(
      'IMAGE_CORRUPT',
      `the ${metadata.format} image cannot be decoded: ${reasonOf(cause)}`,
      {
        cause,
      },
    );
  }
}

/**
 * The JPEGs whose pixels libjpeg-turbo alone gives exactly as sharp would: no EXIF rotation to apply
 * and no embedded colour profile to convert from (sharp converts with it), 8-bit YCbCr or grey. Any
 * other image, or a JPEG libjpeg-turbo refuses or warns about, is left to sharp (undefined).
 */
async function decodeJpegDirectly(
  bytes: Buffer,
  metadata: Metadata,
  width: number,
  height: number,
  buffers: BufferPool | undefined,
): Promise<DecodedImage | undefined> {
  const turbo = loadTurboJpeg();
  const plain =
    metadata.format === 'jpeg' &&
    (metadata.orientation ?? 1) === 1 &&
    metadata.icc === undefined &&
    metadata.depth === 'uchar' &&
    ((metadata.channels === 3 && metadata.space === 'srgb') ||
      (metadata.channels === 1 && metadata.space === 'b-w'));
  if (!turbo.available || !plain) return undefined;
  const size = width * height * 3;
  const target = buffers?.acquire(size) ?? { bytes: Buffer.allocUnsafeSlow(size), release: () => {} };
  try {
    await turbo.codec.decodeInto(bytes, target.bytes, width, height);
  } catch {
    target.release();
    return undefined;
  }
  return {
    width,
    height,
    rgb: target.bytes,
    alpha: undefined,
    format: 'jpeg',
    decoder: 'libjpeg-turbo',
    release: target.release,
  };
}

function reasonOf(cause: unknown): string {
  return cause instanceof Error ? cause.message.trim() : String(cause);
}

function splitAlpha(
  data: Buffer,
  width: number,
  height: number,
  channels: number,
): Pick<DecodedImage, 'width' | 'height' | 'rgb' | 'alpha'> {
  if (channels === 3) return { width, height, rgb: data, alpha: undefined };
  if (channels !== 4) {
    throw new PermanentError('IMAGE_CORRUPT', `decoding gave ${channels} channels, expected 3 or 4`);
  }
  const pixels = width * height;
  const rgb = Buffer.allocUnsafe(pixels * 3);
  const alpha = Buffer.allocUnsafe(pixels);
  for (let pixel = 0, source = 0, target = 0; pixel < pixels; pixel++, source += 4, target += 3) {
    rgb[target] = data[source] ?? 0;
    rgb[target + 1] = data[source + 1] ?? 0;
    rgb[target + 2] = data[source + 2] ?? 0;
    alpha[pixel] = data[source + 3] ?? 0;
  }
  return { width, height, rgb, alpha };
}

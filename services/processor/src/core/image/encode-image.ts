import sharp from 'sharp';
import { type EncoderSettings, jpegOptions, pngOptions } from './image-limits.ts';

export interface EncodedImage {
  readonly bytes: Buffer;
  readonly extension: 'jpg' | 'png';
  readonly contentType: 'image/jpeg' | 'image/png';
}

/**
 * Encodes the inverted RGB pixels: JPEG for opaque images, PNG when there is an alpha channel, which is
 * joined back unchanged (alpha is not inverted).
 */
export async function encodeImage(
  rgb: Buffer,
  width: number,
  height: number,
  alpha: Buffer | undefined,
  settings: EncoderSettings,
): Promise<EncodedImage> {
  const image = sharp(rgb, { raw: { width, height, channels: 3 } });
  if (alpha === undefined) {
    const bytes = await image.jpeg(jpegOptions(settings)).toBuffer();
    return { bytes, extension: 'jpg', contentType: 'image/jpeg' };
  }
  const bytes = await image
    .joinChannel(alpha, { raw: { width, height, channels: 1 } })
    .png(pngOptions)
    .toBuffer();
  return { bytes, extension: 'png', contentType: 'image/png' };
}

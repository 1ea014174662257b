import sharp from 'sharp';
import { type EncoderSettings, jpegOptions, pngOptions } from './image-limits.ts';
import { loadTurboJpeg } from './turbojpeg.ts';

export interface EncodedImage {
  readonly bytes: Buffer;
  readonly extension: 'jpg' | 'png';
  readonly contentType: 'image/jpeg' | 'image/png';
}

/**
 * Encodes the inverted RGB pixels: JPEG for opaque images, PNG when there is an alpha channel, which is
 * joined back unchanged (alpha is not inverted). JPEGs come from libjpeg-turbo directly where it loads
 * (the same encoder and settings as sharp's, without libvips' pipeline around it), else from sharp.
 */
export async function encodeImage(
  rgb: Buffer,
  width: number,
  height: number,
  alpha: Buffer | undefined,
  settings: EncoderSettings,
): Promise<EncodedImage> {
  const turbo = loadTurboJpeg();
  if (alpha === undefined && turbo.available) {
    const bytes = await turbo.codec.encode(rgb, width, height, jpegOptions(settings));
    return { bytes, extension: 'jpg', contentType: 'image/jpeg' };
  }
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

import sharp from 'sharp';

/** 255 - x per channel of an interleaved RGB image, by libvips: for models without an `inverted` output. */
export function negateRgb(rgb: Uint8Array, width: number, height: number): Promise<Buffer> {
  return sharp(rgb, { raw: { width, height, channels: 3 } })
    .negate()
    .raw()
    .toBuffer();
}

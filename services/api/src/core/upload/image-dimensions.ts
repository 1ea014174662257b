import { imageSize } from 'image-size';

export interface ImageDimensions {
  readonly width: number;
  readonly height: number;
}

/**
 * Width and height from the first bytes of an image, or undefined while they are not in `head` yet
 * (the header is longer than what has arrived) or cannot be read from it.
 */
export function readDimensions(head: Uint8Array): ImageDimensions | undefined {
  try {
    const size = imageSize(head);
    const { width, height } = size;
    if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) return undefined;
    return { width, height };
  } catch {
    // image-size throws on a header that runs past the buffer; the caller reads more and asks again.
    return undefined;
  }
}

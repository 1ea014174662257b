import type { ImageId } from './ids.ts';

/**
 * Where each image's objects live. Keys are made from the image id only (never the client's filename),
 * so every service finds an image's objects from its id.
 */
export const objectKeys = {
  /** The uploaded original, in the uploads bucket. */
  original: (imageId: ImageId): string => `originals/${imageId}`,
  /** Prefix of the uploaded originals, in the uploads bucket. */
  originalsPrefix: 'originals/',
  /** The processed (inverted) image, in the processed bucket; `extension` is jpg or png. */
  processed: (imageId: ImageId, extension: 'jpg' | 'png'): string => `processed/${imageId}.${extension}`,
  /** The foreground mask (PNG, white = foreground) next to the processed image, for mask models. */
  mask: (imageId: ImageId): string => `processed/${imageId}.mask.png`,
  /** Prefix of the post-processing reports, in the processed bucket. */
  reportsPrefix: 'reports/',
} as const;

import { z } from 'zod';

/** The image formats the pipeline accepts, identified from the bytes, never from client claims. */
export const supportedImageTypes = [
  'image/jpeg',
  'image/png',
  'image/webp',
  'image/gif',
  'image/tiff',
  'image/avif',
  'image/heic',
] as const;

export const imageContentTypeSchema = z.enum(supportedImageTypes);
export type ImageContentType = z.output<typeof imageContentTypeSchema>;

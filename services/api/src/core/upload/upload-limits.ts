import type { ApiConfig } from '@photo-pipeline/shared/config';
import { type ImageContentType, supportedImageTypes } from '@photo-pipeline/shared/contracts';

/** The limits one upload request is held to, with their units in the names. */
export interface UploadLimits {
  readonly maxUploadBytes: number;
  readonly maxFilesPerRequest: number;
  readonly maxFieldsPerRequest: number;
  readonly maxFieldBytes: number;
  readonly maxImagePixels: number;
  /** How far into a file we read looking for its dimensions before calling it unreadable. */
  readonly maxHeaderProbeBytes: number;
  /** Files up to this size are stored with one PutObject from memory, larger ones stream (multipart). */
  readonly singlePutMaxBytes: number;
}

/**
 * Formats the API accepts. HEIC is recognised but refused: the sharp build the processor uses reads
 * AVIF through libheif but not HEVC-coded HEIC, so accepting it would only produce a FAILED row later.
 */
export const acceptedImageTypes: ReadonlySet<ImageContentType> = new Set(
  supportedImageTypes.filter((type) => type !== 'image/heic'),
);

/**
 * JPEG puts its frame header after the EXIF, ICC and thumbnail segments, which together rarely pass a
 * few hundred KiB; TIFF may keep its directory anywhere, and one past this point is refused as unreadable.
 */
export const maxHeaderProbeBytes = 1024 * 1024;

/** Multipart upload part size and parallel parts per file: memory per upload is about their product. */
export const s3PartBytes = 5 * 1024 * 1024;
export const s3PartsInParallel = 2;

/**
 * Files up to this size are read whole into memory (while checked and hashed) and stored with one
 * PutObject; larger ones stream through multipart upload. One part, so per upload this holds no more
 * than lib-storage would buffer anyway (it reads a whole first part before choosing PutObject).
 */
export const singlePutMaxBytes = s3PartBytes;

export function uploadLimitsFrom(config: ApiConfig): UploadLimits {
  return {
    maxUploadBytes: config.MAX_UPLOAD_BYTES,
    maxFilesPerRequest: config.MAX_FILES_PER_REQUEST,
    maxFieldsPerRequest: config.MAX_FIELDS_PER_REQUEST,
    maxFieldBytes: config.MAX_FIELD_BYTES,
    maxImagePixels: config.MAX_IMAGE_PIXELS,
    maxHeaderProbeBytes,
    singlePutMaxBytes,
  };
}

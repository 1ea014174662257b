import { createHash } from 'node:crypto';
import type { ImageContentType } from '@photo-pipeline/shared/contracts';
import { PermanentError } from '@photo-pipeline/shared/errors';
import { sniffBytes, sniffImageType, unreadableImageError } from '@photo-pipeline/shared/images';
import { type ImageDimensions, readDimensions } from './image-dimensions.ts';
import { acceptedImageTypes, type UploadLimits } from './upload-limits.ts';

export interface ImageHeader extends ImageDimensions {
  readonly contentType: ImageContentType;
}

export interface InspectedFile {
  readonly bytes: number;
  readonly sha256: string;
}

type Limits = Pick<UploadLimits, 'maxUploadBytes' | 'maxImagePixels' | 'maxHeaderProbeBytes'>;

/**
 * The checks on one file, fed chunk by chunk, with no stream of its own: the type from its magic
 * numbers, the pixel count from its header, the byte count against the limit; and its SHA-256. Bytes
 * are held back until the header is accepted, so a refused file never yields a byte to store.
 *
 * One exception: a TIFF keeps its dimensions in an image directory that its header points to, and
 * libtiff writes that directory after the pixel data, at the end of the file. When the directory lies
 * beyond the header probe, the bytes are cleared once the type is known, the directory is read as it
 * passes, and a refusal then comes mid-file (the caller already discards a file refused mid-way, as for
 * the byte limit).
 */
export interface ImageCheck {
  /** Takes the next chunk: the bytes now cleared to store (none while the header is open), or the refusal. */
  write(chunk: Buffer): readonly Buffer[] | PermanentError;
  /** The file has ended: the bytes still held, now cleared, or the refusal. */
  end(): readonly Buffer[] | PermanentError;
  /** Set once the type is accepted and bytes are cleared; before the header for a TIFF read as it passes. */
  readonly contentType: ImageContentType | undefined;
  /** Set once the header (type and dimensions) is accepted. */
  readonly header: ImageHeader | undefined;
  /** Byte count and SHA-256 of everything written; complete once the file has ended. */
  summary(): InspectedFile;
}

const nothing: readonly Buffer[] = Object.freeze([]);

/** Bytes of a TIFF image directory read from its offset: 12 per entry, far more than any file has. */
const tiffDirectoryWindow = 64 * 1024;

/** A TIFF whose directory has not passed yet: where it starts, and what of it has been seen. */
interface PendingTiffDirectory {
  readonly offset: number;
  /** The file's 8-byte header made to point at byte 8, where `directory` is put to read it. */
  readonly rebasedHeader: Buffer;
  directory: Buffer;
}

/** A classic TIFF's directory to wait for, from its 8-byte header; undefined for anything else. */
function pendingTiffDirectory(head: Buffer): PendingTiffDirectory | undefined {
  if (head.length < 8) return undefined;
  const order = head.toString('latin1', 0, 2);
  const littleEndian = order === 'II';
  if (!littleEndian && order !== 'MM') return undefined;
  if ((littleEndian ? head.readUInt16LE(2) : head.readUInt16BE(2)) !== 42) return undefined;
  const offset = littleEndian ? head.readUInt32LE(4) : head.readUInt32BE(4);
  const rebasedHeader = Buffer.from(head.subarray(0, 8));
  if (littleEndian) rebasedHeader.writeUInt32LE(8, 4);
  else rebasedHeader.writeUInt32BE(8, 4);
  return { offset, rebasedHeader, directory: Buffer.alloc(0) };
}

export function createImageCheck(limits: Limits): ImageCheck {
  const hash = createHash('sha256');
  let bytes = 0;
  let held: Buffer[] = [];
  let header: ImageHeader | undefined;
  let contentType: ImageContentType | undefined;
  let pendingTiff: PendingTiffDirectory | undefined;

  /**
   * Decides on the held head when enough of it is there; undefined means "read more", a pending TIFF
   * directory "clear the bytes and read the directory as it passes".
   */
  const decide = (ended: boolean): ImageHeader | PendingTiffDirectory | PermanentError | undefined => {
    const head = held.length === 1 ? held[0] : Buffer.concat(held);
    held = head ? [head] : [];
    if (!head || head.length === 0) return unreadableImageError(Buffer.alloc(0), 'no bytes');
    if (head.length < sniffBytes && !ended) return undefined;
    const sniffed = sniffImageType(head);
    if (!sniffed)
      return unreadableImageError(head, 'no image signature', { accepted: [...acceptedImageTypes] });
    if (!acceptedImageTypes.has(sniffed)) {
      return new PermanentError('UNSUPPORTED_MEDIA_TYPE', `${sniffed} is recognised but not accepted`, {
        details: { contentType: sniffed },
      });
    }
    const dimensions = readDimensions(head);
    if (!dimensions) {
      if (ended) return unreadableImageError(head, 'its header is truncated or corrupt');
      if (head.length >= limits.maxHeaderProbeBytes) {
        const pending = sniffed === 'image/tiff' ? pendingTiffDirectory(head) : undefined;
        if (pending && pending.offset >= head.length && pending.offset < limits.maxUploadBytes) {
          return pending;
        }
        return new PermanentError(
          'IMAGE_CORRUPT',
          `no readable ${sniffed} dimensions in the first ${limits.maxHeaderProbeBytes} bytes`,
        );
      }
      return undefined;
    }
    return accept(sniffed, dimensions);
  };

  /** The pixel limit on dimensions that have been read. */
  const accept = (type: ImageContentType, dimensions: ImageDimensions): ImageHeader | PermanentError => {
    const pixels = dimensions.width * dimensions.height;
    if (pixels > limits.maxImagePixels) {
      return new PermanentError(
        'IMAGE_TOO_MANY_PIXELS',
        `the image is ${dimensions.width} x ${dimensions.height} = ${pixels} pixels, over the limit of ${limits.maxImagePixels}`,
        {
          details: {
            width: dimensions.width,
            height: dimensions.height,
            maxImagePixels: limits.maxImagePixels,
          },
        },
      );
    }
    return { contentType: type, ...dimensions };
  };

  const release = (decision: ImageHeader | PendingTiffDirectory): readonly Buffer[] => {
    if ('offset' in decision) {
      contentType = 'image/tiff';
      pendingTiff = decision;
    } else {
      contentType = decision.contentType;
      header = decision;
    }
    const cleared = held;
    held = [];
    return cleared;
  };

  /** Reads the part of `chunk` (which ends at byte `bytes`) that belongs to a pending TIFF directory. */
  const watchTiffDirectory = (pending: PendingTiffDirectory, chunk: Buffer): PermanentError | undefined => {
    const chunkStart = bytes - chunk.length;
    const from = Math.max(pending.offset, chunkStart) - chunkStart;
    if (from >= chunk.length) return undefined;
    const part = chunk.subarray(from, from + tiffDirectoryWindow - pending.directory.length);
    pending.directory = Buffer.concat([pending.directory, part]);
    const dimensions = readDimensions(Buffer.concat([pending.rebasedHeader, pending.directory]));
    if (!dimensions) {
      if (pending.directory.length < tiffDirectoryWindow) return undefined;
      pendingTiff = undefined;
      return new PermanentError(
        'IMAGE_CORRUPT',
        `the TIFF's image directory (at byte ${pending.offset}) has no readable dimensions`,
      );
    }
    pendingTiff = undefined;
    const decision = accept('image/tiff', dimensions);
    if (decision instanceof PermanentError) return decision;
    header = decision;
    return undefined;
  };

  return {
    write(chunk) {
      bytes += chunk.length;
      if (bytes > limits.maxUploadBytes) {
        return new PermanentError(
          'PAYLOAD_TOO_LARGE',
          `the file is over the limit of ${limits.maxUploadBytes} bytes`,
          { details: { maxUploadBytes: limits.maxUploadBytes } },
        );
      }
      hash.update(chunk);
      if (pendingTiff) {
        const refusal = watchTiffDirectory(pendingTiff, chunk);
        return refusal ?? [chunk];
      }
      if (contentType) return [chunk];
      held.push(chunk);
      const decision = decide(false);
      if (decision instanceof PermanentError) return decision;
      return decision ? release(decision) : nothing;
    },
    end() {
      if (pendingTiff) {
        return new PermanentError(
          'IMAGE_CORRUPT',
          `the TIFF's image directory (at byte ${pendingTiff.offset}) is missing or unreadable`,
        );
      }
      if (contentType) return nothing;
      const decision = decide(true);
      if (decision instanceof PermanentError) return decision;
      if (!decision) return new PermanentError('IMAGE_CORRUPT', 'the image header is unreadable');
      return release(decision);
    },
    get contentType() {
      return contentType;
    },
    get header() {
      return header;
    },
    summary: () => ({ bytes, sha256: hash.copy().digest('hex') }),
  };
}

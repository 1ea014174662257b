import { createHash } from 'node:crypto';
import type { ImageContentType } from '@photo-pipeline/shared/contracts';
import { PermanentError } from '@photo-pipeline/shared/errors';
import { type ImageDimensions, readDimensions } from './image-dimensions.ts';
import { sniffBytes, sniffImageType } from './image-sniff.ts';
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
 */
export interface ImageCheck {
  /** Takes the next chunk: the bytes now cleared to store (none while the header is open), or the refusal. */
  write(chunk: Buffer): readonly Buffer[] | PermanentError;
  /** The file has ended: the bytes still held, now cleared, or the refusal. */
  end(): readonly Buffer[] | PermanentError;
  /** Set once the header is accepted. */
  readonly header: ImageHeader | undefined;
  /** Byte count and SHA-256 of everything written; complete once the file has ended. */
  summary(): InspectedFile;
}

const nothing: readonly Buffer[] = Object.freeze([]);

export function createImageCheck(limits: Limits): ImageCheck {
  const hash = createHash('sha256');
  let bytes = 0;
  let held: Buffer[] = [];
  let header: ImageHeader | undefined;

  /** Decides on the held head when enough of it is there; undefined means "read more". */
  const decide = (ended: boolean): ImageHeader | PermanentError | undefined => {
    const head = held.length === 1 ? held[0] : Buffer.concat(held);
    held = head ? [head] : [];
    if (!head || head.length === 0) return new PermanentError('IMAGE_CORRUPT', 'the file is empty');
    if (head.length < sniffBytes && !ended) return undefined;
    const contentType = sniffImageType(head);
    if (!contentType) {
      return new PermanentError(
        'UNSUPPORTED_MEDIA_TYPE',
        `the file is not a supported image (accepted: ${[...acceptedImageTypes].join(', ')})`,
      );
    }
    if (!acceptedImageTypes.has(contentType)) {
      return new PermanentError('UNSUPPORTED_MEDIA_TYPE', `${contentType} is recognised but not accepted`, {
        details: { contentType },
      });
    }
    const dimensions = readDimensions(head);
    if (!dimensions) {
      if (ended)
        return new PermanentError('IMAGE_CORRUPT', `the ${contentType} header is truncated or corrupt`);
      if (head.length >= limits.maxHeaderProbeBytes) {
        return new PermanentError(
          'IMAGE_CORRUPT',
          `no readable ${contentType} dimensions in the first ${limits.maxHeaderProbeBytes} bytes`,
        );
      }
      return undefined;
    }
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
    return { contentType, ...dimensions };
  };

  const release = (decision: ImageHeader): readonly Buffer[] => {
    header = decision;
    const cleared = held;
    held = [];
    return cleared;
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
      if (header) return [chunk];
      held.push(chunk);
      const decision = decide(false);
      if (decision instanceof PermanentError) return decision;
      return decision ? release(decision) : nothing;
    },
    end() {
      if (header) return nothing;
      const decision = decide(true);
      if (decision instanceof PermanentError) return decision;
      if (!decision) return new PermanentError('IMAGE_CORRUPT', 'the image header is unreadable');
      return release(decision);
    },
    get header() {
      return header;
    },
    summary: () => ({ bytes, sha256: hash.copy().digest('hex') }),
  };
}

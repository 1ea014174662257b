import { createHash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
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

export interface ImageInspector {
  /** Pass the file through this: it holds bytes back until the header is accepted. */
  readonly stream: Transform;
  /** Settles once the type and dimensions are known and within limits, or rejects with the reason. */
  readonly header: Promise<ImageHeader>;
  /** Byte count and SHA-256 of everything that passed; only complete after the stream has ended. */
  summary(): InspectedFile;
}

type Limits = Pick<UploadLimits, 'maxUploadBytes' | 'maxImagePixels' | 'maxHeaderProbeBytes'>;

/**
 * Checks one file as it streams: the type from its magic numbers, the pixel count from its header, the
 * byte count against the limit; and hashes it. Nothing leaves the stream until the header is accepted,
 * so a refused file never reaches storage; a file over the byte limit fails the stream mid-way.
 */
export function createImageInspector(limits: Limits): ImageInspector {
  const hash = createHash('sha256');
  let bytes = 0;
  let held: Buffer[] = [];
  let accepted: ImageHeader | undefined;
  let settle: { resolve: (header: ImageHeader) => void; reject: (error: Error) => void } | undefined;
  const header = new Promise<ImageHeader>((resolve, reject) => {
    settle = { resolve, reject };
  });
  // A rejection is also delivered through the stream; this keeps an unobserved copy from being unhandled.
  header.catch(() => undefined);

  const fail = (error: Error, callback: TransformCallback) => {
    settle?.reject(error);
    callback(error);
  };

  /** Decides on the held head when enough of it is there; undefined means "read more". */
  const decide = (ended: boolean): ImageHeader | Error | undefined => {
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

  const release = (stream: Transform, decision: ImageHeader) => {
    accepted = decision;
    settle?.resolve(decision);
    for (const chunk of held) stream.push(chunk);
    held = [];
  };

  const stream = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      bytes += chunk.length;
      if (bytes > limits.maxUploadBytes) {
        fail(
          new PermanentError(
            'PAYLOAD_TOO_LARGE',
            `the file is over the limit of ${limits.maxUploadBytes} bytes`,
            {
              details: { maxUploadBytes: limits.maxUploadBytes },
            },
          ),
          callback,
        );
        return;
      }
      hash.update(chunk);
      if (accepted) {
        callback(null, chunk);
        return;
      }
      held.push(chunk);
      const decision = decide(false);
      if (decision instanceof Error) return fail(decision, callback);
      if (decision) release(this, decision);
      callback();
    },
    flush(callback) {
      if (!accepted) {
        const decision = decide(true);
        if (decision instanceof Error || decision === undefined) {
          return fail(
            decision ?? new PermanentError('IMAGE_CORRUPT', 'the image header is unreadable'),
            callback,
          );
        }
        release(this, decision);
      }
      callback();
    },
    destroy(error, callback) {
      if (!accepted) {
        settle?.reject(
          error ?? new PermanentError('UPLOAD_ABORTED', 'the upload ended before the image header arrived'),
        );
      }
      callback(error);
    },
  });

  return {
    stream,
    header,
    summary: () => ({ bytes, sha256: hash.copy().digest('hex') }),
  };
}

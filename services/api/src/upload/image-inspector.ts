import { Transform } from 'node:stream';
import { PermanentError } from '@photo-pipeline/shared/errors';
import { createImageCheck, type ImageCheck, type ImageHeader, type InspectedFile } from './image-check.ts';
import type { UploadLimits } from './upload-limits.ts';

export type { ImageHeader, InspectedFile } from './image-check.ts';

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
 * An ImageCheck as a stream: nothing leaves it until the header is accepted, so a refused file never
 * reaches storage; a file over the byte limit fails the stream mid-way. `check` may already have seen
 * the start of the file (the rest of it then goes through here).
 */
export function createImageInspector(
  limits: Limits,
  check: ImageCheck = createImageCheck(limits),
): ImageInspector {
  let settle: { resolve: (header: ImageHeader) => void; reject: (error: Error) => void } | undefined;
  const header = new Promise<ImageHeader>((resolve, reject) => {
    settle = { resolve, reject };
  });
  // A rejection is also delivered through the stream; this keeps an unobserved copy from being unhandled.
  header.catch(() => undefined);
  if (check.header) settle?.resolve(check.header);

  const pass = (
    stream: Transform,
    outcome: readonly Buffer[] | PermanentError,
  ): PermanentError | undefined => {
    if (outcome instanceof PermanentError) {
      settle?.reject(outcome);
      return outcome;
    }
    if (check.header) settle?.resolve(check.header);
    for (const chunk of outcome) stream.push(chunk);
    return undefined;
  };

  const stream = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      callback(pass(this, check.write(chunk)));
    },
    flush(callback) {
      callback(pass(this, check.end()));
    },
    destroy(error, callback) {
      if (!check.header) {
        settle?.reject(
          error ?? new PermanentError('UPLOAD_ABORTED', 'the upload ended before the image header arrived'),
        );
      }
      callback(error);
    },
  });

  return { stream, header, summary: () => check.summary() };
}

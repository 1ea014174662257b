import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { type ImageId, objectKeys } from '@photo-pipeline/shared/contracts';
import { type AppError, appError, isAppError } from '@photo-pipeline/shared/errors';
import { createCheckedStream } from './checked-stream.ts';
import { createImageCheck, type ImageCheck, type ImageHeader, type InspectedFile } from './image-check.ts';
import { readChecked } from './read-checked.ts';
import type { UploadLimits } from './upload-limits.ts';
import type { ObjectStore } from './upload-ports.ts';

export interface StoredFile extends ImageHeader, InspectedFile {
  readonly imageId: ImageId;
  readonly key: string;
  readonly originalName: string;
  readonly uploadedAt: string;
}

export interface StoreFileInput {
  readonly imageId: ImageId;
  readonly stream: Readable;
  readonly originalName: string;
  readonly now: () => Date;
}

/**
 * Stores one file in the uploads bucket under the key made from its image id, once its header has
 * passed the type and pixel checks. A file of at most `singlePutMaxBytes` is read whole while it is
 * checked and hashed, and written with one PutObject carrying its SHA-256 once all of it has arrived;
 * a larger one streams on through a multipart upload. Rejects with the reason; a rejected file leaves
 * no object behind.
 */
export async function storeFile(
  store: ObjectStore,
  limits: UploadLimits,
  input: StoreFileInput,
): Promise<StoredFile> {
  const check = createImageCheck(limits);
  const key = objectKeys.original(input.imageId);
  const head = await readChecked(input.stream, check, limits.singlePutMaxBytes).catch((error: unknown) => {
    throw uploadFailure(error);
  });
  // Set: the file either ended and passed, or more than the bound was cleared, which needs the type
  // (and the dimensions too, except for a TIFF whose image directory comes later in the file).
  const contentType = check.contentType as ImageHeader['contentType'];
  const object = {
    key,
    contentType,
    metadata: { 'image-id': input.imageId, 'original-name': encodeURIComponent(input.originalName) },
  };
  if (head.ended) {
    const inspected = check.summary();
    const body = head.chunks.length === 1 && head.chunks[0] ? head.chunks[0] : Buffer.concat(head.chunks);
    await store.putBuffer({ ...object, body, sha256: inspected.sha256 }).catch((error: unknown) => {
      throw uploadFailure(error);
    });
    return storedFile(input, key, acceptedHeader(check), inspected);
  }

  // The rest of the file goes through the same check as a stream, behind the bytes already read.
  const checked = createCheckedStream(check);
  const piping = pipeline(input.stream, checked);
  // Errors of the pipe are read through `putStream` or below; this keeps the promise observed.
  piping.catch(() => undefined);
  try {
    await store.putStream({ ...object, body: Readable.from(headThenRest(head.chunks, checked)) });
    await piping;
    return storedFile(input, key, acceptedHeader(check), check.summary());
  } catch (error) {
    checked.destroy();
    // The check's own verdict (byte limit) is the reason even when S3 saw it as a failed body.
    const verdict = await piping.then(
      () => undefined,
      (pipeError: unknown) => pipeError,
    );
    throw uploadFailure(isAppError(verdict) ? verdict : error);
  }
}

/** The chunks already read, then the rest of the stream; each head chunk is let go once handed on. */
async function* headThenRest(head: Buffer[], rest: Readable): AsyncGenerator<Buffer> {
  for (let chunk = head.shift(); chunk !== undefined; chunk = head.shift()) yield chunk;
  yield* rest;
}

/** The header of a file the check has passed to its end: a refusal would have come instead. */
function acceptedHeader(check: ImageCheck): ImageHeader {
  const { header } = check;
  if (!header) throw appError('IMAGE_CORRUPT', 'the image header was never accepted');
  return header;
}

function storedFile(
  input: StoreFileInput,
  key: string,
  header: ImageHeader,
  inspected: InspectedFile,
): StoredFile {
  return {
    imageId: input.imageId,
    key,
    originalName: input.originalName,
    uploadedAt: input.now().toISOString(),
    ...header,
    ...inspected,
  };
}

function uploadFailure(error: unknown): AppError {
  if (isAppError(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  return appError('UPLOAD_ABORTED', `the upload was interrupted: ${message}`, { cause: error });
}

import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { type ImageId, objectKeys } from '@photo-pipeline/shared/contracts';
import { type AppError, appError, isAppError } from '@photo-pipeline/shared/errors';
import { createImageInspector, type ImageHeader, type InspectedFile } from './image-inspector.ts';
import type { ObjectStore } from './object-store.ts';
import type { UploadLimits } from './upload-limits.ts';

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
 * Streams one file to the uploads bucket under the key made from its image id, after its header has
 * passed the type and pixel checks. Rejects with the reason; a rejected file leaves no object behind.
 */
export async function storeFile(
  store: ObjectStore,
  limits: UploadLimits,
  input: StoreFileInput,
): Promise<StoredFile> {
  const inspector = createImageInspector(limits);
  const key = objectKeys.original(input.imageId);
  const piping = pipeline(input.stream, inspector.stream);
  // Errors of the pipe are read through `header` or `putStream`; this keeps the promise observed.
  piping.catch(() => undefined);
  try {
    const header = await inspector.header;
    await store.putStream({
      key,
      body: inspector.stream,
      contentType: header.contentType,
      metadata: { 'image-id': input.imageId, 'original-name': encodeURIComponent(input.originalName) },
    });
    await piping;
    return {
      imageId: input.imageId,
      key,
      originalName: input.originalName,
      uploadedAt: input.now().toISOString(),
      ...header,
      ...inspector.summary(),
    };
  } catch (error) {
    inspector.stream.destroy();
    // The inspector's own verdict (limit, type, pixels) is the reason even when S3 saw it as a failed body.
    const verdict = await piping.then(
      () => undefined,
      (pipeError: unknown) => pipeError,
    );
    throw uploadFailure(isAppError(verdict) ? verdict : error);
  }
}

function uploadFailure(error: unknown): AppError {
  if (isAppError(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  return appError('UPLOAD_ABORTED', `the upload was interrupted: ${message}`, { cause: error });
}

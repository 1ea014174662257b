import { newBatchId, newImageId } from '../../src/contracts/ids.ts';
import type { ImageUploadedV1 } from '../../src/contracts/image-uploaded.ts';

/** A valid ImageUploaded v1 message; override any field. */
export function anImageUploadedMessage(overrides: Partial<Record<keyof ImageUploadedV1, unknown>> = {}) {
  const imageId = newImageId();
  return {
    type: 'ImageUploaded',
    version: 1,
    imageId,
    batchId: newBatchId(),
    bucket: 'photo-pipeline-uploads',
    key: `originals/${imageId}`,
    contentType: 'image/jpeg',
    bytes: 1234,
    sha256: 'a'.repeat(64),
    originalName: 'holiday.jpg',
    uploadedAt: '2026-11-21T10:00:00.000Z',
    ...overrides,
  };
}

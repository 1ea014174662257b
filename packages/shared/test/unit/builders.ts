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

/** A valid SUCCEEDED result row as stored (plain values, not parsed); override any field. */
export function aSucceededRow(overrides: Record<string, unknown> = {}) {
  const imageId = newImageId();
  const stored = {
    bucket: 'b-uploads',
    key: `originals/${imageId}`,
    bytes: 10,
    sha256: 'b'.repeat(64),
    contentType: 'image/png',
  };
  return {
    schemaVersion: 1,
    imageId,
    batchId: newBatchId(),
    uploadDay: '2026-11-21',
    originalName: 'a.png',
    input: stored,
    uploadedAt: '2026-11-21T10:00:00.000Z',
    processedAt: '2026-11-21T10:00:01.000Z',
    attempts: 1,
    timings: { totalMs: 12 },
    status: 'SUCCEEDED',
    width: 4,
    height: 3,
    areaPx: 12,
    foregroundPx: 5,
    foregroundRatio: 5 / 12,
    output: { ...stored, key: `processed/${imageId}.png` },
    model: { name: 'invert-area', version: '1' },
    executionProvider: 'cpu',
    ...overrides,
  };
}

import { describe, expect, it } from 'vitest';
import { newBatchId, newImageId } from '../../src/contracts/ids.ts';
import { resultRowSchema } from '../../src/contracts/result-row.ts';

function aSucceededRow(overrides: Record<string, unknown> = {}) {
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

describe('result row', () => {
  it('accepts a succeeded row', () => {
    expect(resultRowSchema.safeParse(aSucceededRow()).success).toBe(true);
  });

  it('refuses an area that is not width x height, naming areaPx', () => {
    const parsed = resultRowSchema.safeParse(aSucceededRow({ areaPx: 13 }));
    expect(parsed.success).toBe(false);
    expect(JSON.stringify(parsed.error?.issues)).toContain('areaPx');
  });

  it('refuses an execution provider other than cuda or cpu', () => {
    expect(resultRowSchema.safeParse(aSucceededRow({ executionProvider: 'rocm' })).success).toBe(false);
  });

  it('accepts a failed row with a stable code and refuses an unknown code', () => {
    const {
      width: _w,
      height: _h,
      areaPx: _a,
      foregroundPx: _f,
      foregroundRatio: _r,
      output: _o,
      model: _m,
      ...base
    } = aSucceededRow();
    const failed = { ...base, status: 'FAILED', errorCode: 'IMAGE_CORRUPT', errorMessage: 'truncated JPEG' };
    expect(resultRowSchema.safeParse(failed).success).toBe(true);
    expect(resultRowSchema.safeParse({ ...failed, errorCode: 'SOMETHING_ELSE' }).success).toBe(false);
  });
});

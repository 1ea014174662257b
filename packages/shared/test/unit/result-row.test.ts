import { describe, expect, it } from 'vitest';
import { resultRowSchema } from '../../src/contracts/result-row.ts';
import { aSucceededRow } from './builders.ts';

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

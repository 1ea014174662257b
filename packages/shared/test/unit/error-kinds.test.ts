import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  AppError,
  appError,
  PermanentError,
  type PermanentErrorCode,
  RetryableError,
  type RetryableErrorCode,
} from '../../src/errors/app-error.ts';
import { type ErrorCode, errorCatalogue } from '../../src/errors/error-codes.ts';

/**
 * An error's kind cannot contradict its code's catalogue entry. The compiler enforces it (`pnpm check`
 * fails on any line below that lost its @ts-expect-error); the runtime checks only confirm that the
 * code sets derived from the catalogue's types are the ones its values say.
 */
describe('error kinds follow the catalogue', () => {
  it('lets a PermanentError take only codes the catalogue marks not retryable', () => {
    // @ts-expect-error DEPENDENCY_UNAVAILABLE is retryable in the catalogue
    expect(() => new PermanentError('DEPENDENCY_UNAVAILABLE', 'S3 down')).not.toThrow();
    expectTypeOf<'DEPENDENCY_UNAVAILABLE'>().not.toExtend<PermanentErrorCode>();
    expectTypeOf<'IMAGE_CORRUPT'>().toExtend<PermanentErrorCode>();
  });

  it('lets a RetryableError take only codes the catalogue marks retryable', () => {
    // @ts-expect-error IMAGE_CORRUPT is permanent in the catalogue
    expect(() => new RetryableError('IMAGE_CORRUPT', 'truncated')).not.toThrow();
    expectTypeOf<'IMAGE_CORRUPT'>().not.toExtend<RetryableErrorCode>();
    expectTypeOf<'RATE_LIMITED'>().toExtend<RetryableErrorCode>();
  });

  it('splits the catalogue into the two kinds with no code left over', () => {
    expectTypeOf<PermanentErrorCode | RetryableErrorCode>().toEqualTypeOf<ErrorCode>();
    const codes = Object.keys(errorCatalogue) as ErrorCode[];
    for (const code of codes) {
      expect(appError(code, 'x').retryable).toBe(errorCatalogue[code].retryable);
    }
  });

  it('admits no third kind of AppError', () => {
    class ThirdKind extends AppError {
      readonly retryable = false;
      constructor() {
        // @ts-expect-error the kind token is private to app-error.ts
        super(Symbol('AppError kind'), 'INTERNAL', 'a made-up kind');
      }
    }
    expect(() => new ThirdKind()).toThrow(TypeError);
  });
});

import { describe, expect, it } from 'vitest';
import { parseIdempotencyKey } from '../../src/core/upload/idempotency.ts';
import { createApiKeyCheck } from '../../src/edge/http/api-keys.ts';
import { createUploadSlots } from '../../src/edge/http/overload.ts';

describe('createApiKeyCheck', () => {
  it('is open without configured keys', () => {
    const check = createApiKeyCheck([]);
    expect(check.enabled).toBe(false);
    expect(check.principalOf(undefined)).toBe('open');
  });

  it('accepts a configured bearer key and names the principal by a digest, never the key', () => {
    const check = createApiKeyCheck(['s3cret-one', 's3cret-two']);
    const principal = check.principalOf('Bearer s3cret-two');
    expect(principal).toMatch(/^key:[a-f0-9]{16}$/);
    expect(principal).not.toContain('s3cret');
    expect(check.principalOf('bearer s3cret-two')).toBe(principal);
  });

  it.each([undefined, '', 'Basic abc', 'Bearer', 'Bearer wrong'])(
    'refuses %j with UNAUTHORIZED',
    (header) => {
      expect(() => createApiKeyCheck(['s3cret']).principalOf(header)).toThrow(
        expect.objectContaining({ code: 'UNAUTHORIZED' }),
      );
    },
  );
});

describe('parseIdempotencyKey', () => {
  it('accepts visible ASCII up to 255 characters and refuses anything else', () => {
    expect(parseIdempotencyKey(undefined)).toBeUndefined();
    expect(parseIdempotencyKey('3f2c-01')).toBe('3f2c-01');
    expect(() => parseIdempotencyKey('a b')).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => parseIdempotencyKey('x'.repeat(256))).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
  });
});

describe('createUploadSlots', () => {
  it('refuses past the limit with OVERLOADED and frees a slot once, however often released', () => {
    const slots = createUploadSlots(1, 1);
    const release = slots.acquire('a');
    expect(() => slots.acquire('b')).toThrow(expect.objectContaining({ code: 'OVERLOADED' }));
    release();
    release();
    expect(slots.inFlight).toBe(0);
    slots.acquire('b');
    expect(slots.inFlight).toBe(1);
  });

  it('refuses a client past its own share with RATE_LIMITED while others still get slots', () => {
    // Prepare
    const slots = createUploadSlots(4, 2);
    const releases = [slots.acquire('greedy'), slots.acquire('greedy')];

    // Act / Assess
    expect(() => slots.acquire('greedy')).toThrow(expect.objectContaining({ code: 'RATE_LIMITED' }));
    slots.acquire('other');
    slots.acquire('other');
    expect(slots.inFlight).toBe(4);
    for (const release of releases) release();
    slots.acquire('greedy');
    expect(slots.inFlight).toBe(3);
  });
});

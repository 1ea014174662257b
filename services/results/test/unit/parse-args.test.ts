import { describe, expect, it } from 'vitest';
import { parseImageIds, parseStatus, parseTime, parseTimeRange } from '../../src/edge/commands/parse-args.ts';

const now = new Date('2026-11-21T12:00:00.000Z');

describe('CLI argument parsing', () => {
  it('reads ISO times, days, "now" and durations ago', () => {
    expect(parseTime('--since', '2026-11-20T08:30:00Z', now).toISOString()).toBe('2026-11-20T08:30:00.000Z');
    expect(parseTime('--since', '2026-11-20', now).toISOString()).toBe('2026-11-20T00:00:00.000Z');
    expect(parseTime('--since', 'now', now)).toEqual(now);
    expect(parseTime('--since', '90m', now).toISOString()).toBe('2026-11-21T10:30:00.000Z');
    expect(parseTime('--since', '7d', now).toISOString()).toBe('2026-11-14T12:00:00.000Z');
  });

  it('rejects unreadable times and empty or huge ranges as INVALID_ARGUMENT', () => {
    expect(() => parseTime('--until', 'tomorrow', now)).toThrow(/--until must be an ISO date-time/);
    expect(() => parseTime('--until', '2026-13-45', now)).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
    expect(() => parseTimeRange('1h', '2h', now, '24h')).toThrow(/must be before --until/);
    expect(() => parseTimeRange('2000-01-01', undefined, now, '24h')).toThrow(/over 366 days/);
    expect(parseTimeRange(undefined, undefined, now, '24h').since.toISOString()).toBe(
      '2026-11-20T12:00:00.000Z',
    );
  });

  it('accepts image ids in any case and names every bad one', () => {
    expect(parseImageIds(['01jd0000000000000000000000'])).toEqual(['01JD0000000000000000000000']);
    expect(() => parseImageIds(['01JD0000000000000000000000', 'abc', 'xyz'])).toThrow(/"abc".*"xyz"/);
  });

  it('takes SUCCEEDED or FAILED for --status and explains PENDING', () => {
    expect(parseStatus('failed')).toBe('FAILED');
    expect(parseStatus(undefined)).toBeUndefined();
    expect(() => parseStatus('PENDING')).toThrow(/images without a row are PENDING/);
  });
});

import { describe, expect, it } from 'vitest';
import { formatBytes, formatRate } from '../../src/format/units.ts';

describe('the CLI formats sizes and rates for people', () => {
  it('rounds to whole bytes below a KB and to one decimal above', () => {
    expect(formatBytes(66)).toBe('66 B');
    expect(formatBytes(530.9211664843208)).toBe('531 B');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(250 * 1024 * 1024)).toBe('250 MB');
  });

  it('gives a rate per second, or a dash before any time has passed', () => {
    expect(formatRate(66, 124.3)).toBe('531 B/s');
    expect(formatRate(2 * 1024 * 1024, 1000)).toBe('2.0 MB/s');
    expect(formatRate(100, 0)).toBe('-');
  });
});

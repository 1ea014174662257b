import { describe, expect, it } from 'vitest';
import { areaHistogram } from '../../src/core/report/area-histogram.ts';
import { distributionOf, percentile } from '../../src/core/report/statistics.ts';

describe('processing-time statistics', () => {
  it('takes nearest-rank percentiles, always an observed value', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);

    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 99)).toBe(99);
    expect(percentile(values, 100)).toBe(100);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBeNull();
  });

  it('summarises unsorted values and ignores non-finite ones', () => {
    expect(distributionOf([30, 10, 20, Number.NaN])).toEqual({
      count: 3,
      min: 10,
      mean: 20,
      p50: 20,
      p90: 30,
      p95: 30,
      p99: 30,
      max: 30,
    });
    expect(distributionOf([]).count).toBe(0);
    expect(distributionOf([]).p50).toBeNull();
  });
});

describe('area histogram', () => {
  it('puts each area in the bin whose lower edge it reaches, the last bin open-ended', () => {
    const bins = areaHistogram([1, 99_999, 100_000, 1_000_000, 12_000_000, 50_000_000]);

    expect(bins.map((bin) => [bin.label, bin.count])).toEqual([
      ['<0.1 MP', 2],
      ['0.1–0.5 MP', 1],
      ['0.5–1 MP', 0],
      ['1–2 MP', 1],
      ['2–4 MP', 0],
      ['4–8 MP', 0],
      ['8–16 MP', 1],
      ['16–32 MP', 0],
      ['≥32 MP', 1],
    ]);
    expect(bins.at(-1)?.maxPx).toBeNull();
  });
});

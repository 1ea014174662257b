import { describe, expect, it } from 'vitest';
import { foregroundHistogram } from '../../src/core/report/foreground-histogram.ts';
import { maxThroughputBins, throughputTimeline } from '../../src/core/report/throughput-timeline.ts';

describe('the report bins the foreground ratio and the throughput', () => {
  it('puts each foreground ratio in its ten-point bin, 1 in the last, 0.3 in 30–40%', () => {
    // Act
    const bins = foregroundHistogram([0, 0.05, 0.1, 0.3, 0.999, 1]);

    // Assess
    expect(bins.map((bin) => bin.label)).toEqual([
      '0–10%',
      '10–20%',
      '20–30%',
      '30–40%',
      '40–50%',
      '50–60%',
      '60–70%',
      '70–80%',
      '80–90%',
      '90–100%',
    ]);
    expect(bins.map((bin) => bin.count)).toEqual([2, 1, 0, 1, 0, 0, 0, 0, 0, 2]);
  });

  it('counts results per minute, empty minutes included, aligned to UTC minutes', () => {
    // Act
    const timeline = throughputTimeline([
      '2026-07-01T08:00:59.000Z',
      '2026-07-01T08:00:01.000Z',
      '2026-07-01T08:03:00.000Z',
    ]);

    // Assess
    expect(timeline.binMinutes).toBe(1);
    expect(timeline.bins).toEqual([
      { start: '2026-07-01T08:00:00.000Z', rows: 2, rowsPerMinute: 2 },
      { start: '2026-07-01T08:01:00.000Z', rows: 0, rowsPerMinute: 0 },
      { start: '2026-07-01T08:02:00.000Z', rows: 0, rowsPerMinute: 0 },
      { start: '2026-07-01T08:03:00.000Z', rows: 1, rowsPerMinute: 1 },
    ]);
  });

  it('widens the bins over a long span, still in rows per minute, and never draws more than the limit', () => {
    // Prepare: 30 results a day apart, and 10 within the first five minutes
    const day = 86_400_000;
    const start = Date.parse('2026-07-01T00:00:00.000Z');
    const times = [
      ...Array.from({ length: 30 }, (_, i) => new Date(start + i * day).toISOString()),
      ...Array.from({ length: 10 }, (_, i) => new Date(start + i * 30_000).toISOString()),
    ];

    // Act
    const timeline = throughputTimeline(times);

    // Assess
    expect(timeline.binMinutes).toBe(360);
    expect(timeline.bins.length).toBeLessThanOrEqual(maxThroughputBins);
    expect(timeline.bins[0]).toEqual({ start: '2026-07-01T00:00:00.000Z', rows: 11, rowsPerMinute: 0.03 });
    expect(timeline.bins.reduce((sum, bin) => sum + bin.rows, 0)).toBe(40);
  });
});

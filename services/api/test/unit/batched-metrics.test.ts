import type { Metrics, MetricValue } from '@photo-pipeline/shared/metrics';
import { createMemoryMetrics } from '@photo-pipeline/test-support/metrics';
import { describe, expect, it } from 'vitest';
import { batchedMetrics } from '../../src/adapters/batched-metrics.ts';

/** Memory metrics that also keep each record() call: one call is one EMF document. */
function documents() {
  const memory = createMemoryMetrics();
  const calls: { values: readonly MetricValue[]; dimensions?: Record<string, string> }[] = [];
  const target: Metrics = {
    ...memory,
    record(values, dimensions) {
      calls.push({ values, ...(dimensions ? { dimensions } : {}) });
      memory.record(values, dimensions);
    },
  };
  return { target, calls, recorded: memory.recorded };
}

const upload = (latencyMs: number): MetricValue[] => [
  { name: 'UploadsAccepted', value: 1, unit: 'Count' },
  { name: 'UploadLatency', value: latencyMs, unit: 'Milliseconds' },
];

describe('batchedMetrics', () => {
  it('writes what was recorded within the delay as one document per set of dimensions', async () => {
    const { target, calls, recorded } = documents();
    const metrics = batchedMetrics(target, { maxDelayMs: 20 });

    metrics.record(upload(10));
    metrics.record(upload(20));
    metrics.count('UploadsRejected', 1, { ErrorCode: 'PAYLOAD_TOO_LARGE' });
    expect(calls).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 60));

    expect(calls).toHaveLength(2);
    expect(calls[0]?.values).toEqual([...upload(10), ...upload(20)]);
    expect(calls[1]).toEqual({
      values: [{ name: 'UploadsRejected', value: 1, unit: 'Count' }],
      dimensions: { ErrorCode: 'PAYLOAD_TOO_LARGE' },
    });
    expect(recorded.filter((metric) => metric.name === 'UploadLatency').map((m) => m.value)).toEqual([
      10, 20,
    ]);
  });

  it('writes a document as soon as one metric has the most values a document may hold', () => {
    const { target, calls } = documents();
    const metrics = batchedMetrics(target, { maxDelayMs: 60_000, maxValuesPerMetric: 3 });

    for (const latency of [1, 2, 3, 4]) metrics.record(upload(latency));

    expect(calls).toHaveLength(1);
    expect(calls[0]?.values.filter((value) => value.name === 'UploadLatency')).toHaveLength(3);
  });

  it('writes everything gathered on flush, without waiting for the delay', async () => {
    const { target, calls } = documents();
    const metrics = batchedMetrics(target, { maxDelayMs: 60_000 });

    metrics.record(upload(5));
    await metrics.flush();

    expect(calls).toHaveLength(1);
    await metrics.flush();
    expect(calls).toHaveLength(1);
  });
});

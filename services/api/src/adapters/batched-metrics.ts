import { type Metrics, type MetricValue, metricsFromRecord } from '@photo-pipeline/shared/metrics';

export interface BatchOptions {
  /** Longest a value waits before it is written. */
  readonly maxDelayMs: number;
  /** Values of one metric per EMF document; CloudWatch takes at most 100. */
  readonly maxValuesPerMetric: number;
}

const defaults: BatchOptions = { maxDelayMs: 1_000, maxValuesPerMetric: 100 };

interface Batch {
  readonly dimensions: Record<string, string> | undefined;
  readonly values: MetricValue[];
  readonly countByName: Map<string, number>;
}

/**
 * Metrics that gather what is recorded with the same dimensions for up to `maxDelayMs` and write it as
 * one EMF document, each metric with its list of values (as EMF allows), rather than one document per
 * upload. CloudWatch sums and percentiles come out the same; a value's timestamp is its document's,
 * at most `maxDelayMs` late. `flush()` writes what is gathered at once (the API calls it on shutdown).
 */
export function batchedMetrics(target: Metrics, options: Partial<BatchOptions> = {}): Metrics {
  const { maxDelayMs, maxValuesPerMetric } = { ...defaults, ...options };
  const batches = new Map<string, Batch>();
  let timer: NodeJS.Timeout | undefined;

  const write = (key: string) => {
    const batch = batches.get(key);
    if (!batch) return;
    batches.delete(key);
    target.record(batch.values, batch.dimensions);
  };
  const writeAll = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    for (const key of [...batches.keys()]) write(key);
  };

  const record = (values: readonly MetricValue[], dimensions?: Record<string, string>) => {
    const key = dimensions ? JSON.stringify(dimensions) : '';
    let batch = batches.get(key);
    if (!batch) {
      batch = { dimensions, values: [], countByName: new Map() };
      batches.set(key, batch);
    }
    let full = false;
    for (const value of values) {
      batch.values.push(value);
      const count = (batch.countByName.get(value.name) ?? 0) + 1;
      batch.countByName.set(value.name, count);
      full ||= count >= maxValuesPerMetric;
    }
    if (full) write(key);
    if (!timer && batches.size > 0) {
      timer = setTimeout(writeAll, maxDelayMs);
      // Pending metrics never keep the process alive; shutdown flushes them.
      timer.unref();
    }
  };

  return metricsFromRecord(record, async () => {
    writeAll();
    await target.flush();
  });
}

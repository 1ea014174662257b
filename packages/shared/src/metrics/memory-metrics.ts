import { type Metrics, metricsFromRecord } from './emf-metrics.ts';

export interface RecordedMetric {
  readonly name: string;
  readonly value: number;
  readonly dimensions?: Record<string, string>;
}

/** Metrics kept in memory instead of written as EMF: for tests and benchmarks that read them back. */
export function createMemoryMetrics(): Metrics & { readonly recorded: RecordedMetric[] } {
  const recorded: RecordedMetric[] = [];
  const record: Metrics['record'] = (values, dimensions) => {
    for (const { name, value } of values)
      recorded.push({ name, value, ...(dimensions ? { dimensions } : {}) });
  };
  return { ...metricsFromRecord(record, async () => undefined), recorded };
}

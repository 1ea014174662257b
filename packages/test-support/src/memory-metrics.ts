import { type Metrics, metricsFromRecord } from '@photo-pipeline/shared/metrics';

export interface RecordedMetric {
  readonly name: string;
  readonly value: number;
  readonly dimensions?: Record<string, string>;
}

/** Metrics kept in memory instead of written as EMF: for tests that read them back. */
export function createMemoryMetrics(): Metrics & { readonly recorded: RecordedMetric[] } {
  const recorded: RecordedMetric[] = [];
  const record: Metrics['record'] = (values, dimensions) => {
    for (const { name, value } of values)
      recorded.push({ name, value, ...(dimensions ? { dimensions } : {}) });
  };
  return { ...metricsFromRecord(record, async () => undefined), recorded };
}

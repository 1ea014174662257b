import type { Metrics } from './emf-metrics.ts';

export interface RecordedMetric {
  readonly name: string;
  readonly value: number;
  readonly dimensions?: Record<string, string>;
}

/** Metrics kept in memory instead of written as EMF: for tests and benchmarks that read them back. */
export function createMemoryMetrics(): Metrics & { readonly recorded: RecordedMetric[] } {
  const recorded: RecordedMetric[] = [];
  const one = (name: string, value = 1, dimensions?: Record<string, string>) => {
    recorded.push({ name, value, ...(dimensions ? { dimensions } : {}) });
  };
  return {
    recorded,
    record: (values, dimensions) => {
      for (const { name, value } of values) one(name, value, dimensions);
    },
    count: one,
    milliseconds: one,
    bytes: one,
    flush: async () => undefined,
  };
}

import type { Metrics } from '@photo-pipeline/shared/metrics';

/** Metrics that record into memory instead of stdout, for tests and benchmarks. */
export function memoryMetrics(): Metrics & {
  readonly recorded: { name: string; value: number; dimensions?: Record<string, string> }[];
} {
  const recorded: { name: string; value: number; dimensions?: Record<string, string> }[] = [];
  const record = (name: string, value = 1, dimensions?: Record<string, string>) => {
    recorded.push({ name, value, ...(dimensions ? { dimensions } : {}) });
  };
  return {
    recorded,
    count: record,
    milliseconds: record,
    bytes: record,
    flush: async () => undefined,
  };
}

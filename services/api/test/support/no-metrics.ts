import { createMemoryMetrics } from '@photo-pipeline/shared/metrics';

/** Metrics that record into memory instead of stdout, for tests and benchmarks. */
export const memoryMetrics = createMemoryMetrics;

export {
  createMetrics,
  type Metrics,
  type MetricValue,
  metricsFromRecord,
  metricsNamespace,
} from './emf-metrics.ts';
export { createMemoryMetrics, type RecordedMetric } from './memory-metrics.ts';

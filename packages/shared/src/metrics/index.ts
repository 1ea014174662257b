export {
  createMetrics,
  type Metrics,
  type MetricValue,
  metricsFromRecord,
  metricsNamespace,
} from './emf-metrics.ts';

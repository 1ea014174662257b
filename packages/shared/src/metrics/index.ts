export { createMetrics, type Metrics, MetricUnit, metricsNamespace } from './emf-metrics.ts';

// The only module that imports aws-embedded-metrics, and through lib/ paths on purpose; its public API
// cannot do this: (1) loading the package index loads the environment detector, which starts probing
// for an AWS environment at once (Lambda, ECS, then an HTTP call to the EC2 metadata address) unless
// AWS_EMF_ENVIRONMENT was set before the import; (2) MetricsContext and LocalEnvironment, which a
// MetricsLogger writing straight to stdout needs, are not exported. We always write EMF to stdout,
// which CloudWatch Logs turns into metrics on ECS and which stays readable locally.
import configurationModule from 'aws-embedded-metrics/lib/config/Configuration.js';
import localEnvironmentModule from 'aws-embedded-metrics/lib/environment/LocalEnvironment.js';
import metricsContextModule from 'aws-embedded-metrics/lib/logger/MetricsContext.js';
import metricsLoggerModule from 'aws-embedded-metrics/lib/logger/MetricsLogger.js';
import storageResolutionModule from 'aws-embedded-metrics/lib/logger/StorageResolution.js';
import unitModule from 'aws-embedded-metrics/lib/logger/Unit.js';

const { MetricsLogger } = metricsLoggerModule;
const { MetricsContext } = metricsContextModule;
const { LocalEnvironment } = localEnvironmentModule;
const Unit = unitModule.Unit;
const StorageResolution = storageResolutionModule.StorageResolution;

export const metricsNamespace = 'PhotoPipeline';

export interface MetricValue {
  readonly name: string;
  readonly value: number;
  readonly unit: 'Count' | 'Milliseconds' | 'Bytes';
}

export interface Metrics {
  /** Records several values as one EMF document (one log line), e.g. everything about one upload. */
  record(values: readonly MetricValue[], dimensions?: Record<string, string>): void;
  /** Records one value; `dimensions` narrows it (e.g. { ErrorCode }). */
  count(name: string, value?: number, dimensions?: Record<string, string>): void;
  milliseconds(name: string, value: number, dimensions?: Record<string, string>): void;
  bytes(name: string, value: number, dimensions?: Record<string, string>): void;
  /** Waits until everything recorded has been written as EMF lines on stdout. */
  flush(): Promise<void>;
}

/**
 * CloudWatch Embedded Metric Format metrics in the PhotoPipeline namespace, dimensioned by Service.
 * Each call records into a fresh metrics context and flushes it, so concurrent work never mixes values.
 */
export function createMetrics(service: string): Metrics {
  configurationModule.default.namespace = metricsNamespace;
  const environment = new LocalEnvironment();
  const resolveEnvironment = () => Promise.resolve(environment);
  const pending = new Set<Promise<void>>();

  const units = { Count: Unit.Count, Milliseconds: Unit.Milliseconds, Bytes: Unit.Bytes } as const;
  const record = (values: readonly MetricValue[], dimensions?: Record<string, string>) => {
    const logger = new MetricsLogger(resolveEnvironment, MetricsContext.empty());
    logger.setNamespace(metricsNamespace);
    logger.setDimensions({ Service: service, ...(dimensions ?? {}) });
    for (const { name, value, unit } of values) {
      logger.putMetric(name, value, units[unit], StorageResolution.Standard);
    }
    const flushing = logger.flush().finally(() => pending.delete(flushing));
    pending.add(flushing);
  };

  return metricsFromRecord(record, async () => {
    await Promise.all([...pending]);
  });
}

/** A Metrics built on its `record`: each one-value call records a document of that one value. */
export function metricsFromRecord(record: Metrics['record'], flush: Metrics['flush']): Metrics {
  return {
    record,
    count: (name, value = 1, dimensions) => record([{ name, value, unit: 'Count' }], dimensions),
    milliseconds: (name, value, dimensions) => record([{ name, value, unit: 'Milliseconds' }], dimensions),
    bytes: (name, value, dimensions) => record([{ name, value, unit: 'Bytes' }], dimensions),
    flush,
  };
}

import { Writable } from 'node:stream';
import { loadConfig, processorConfigSchema } from '@photo-pipeline/shared/config';
import { createLogger } from '@photo-pipeline/shared/log';
import { createMemoryMetrics, type RecordedMetric } from '@photo-pipeline/test-support/metrics';
import type { ConsumerSummary } from '../../src/edge/queue/job-consumer.ts';
import { runProcessor } from '../../src/entry/run-processor.ts';

/** Metrics that remember what was recorded instead of printing EMF. */
export const recordingMetrics = createMemoryMetrics;

export interface InProcessRun {
  readonly summary: ConsumerSummary;
  readonly logs: Record<string, unknown>[];
  readonly metrics: RecordedMetric[];
}

/** Runs the processor in this process until it goes idle, with JSON logs and metrics kept for the test. */
export async function runProcessorOnce(
  env: Readonly<Record<string, string>>,
  overrides: Readonly<Record<string, string>> = {},
): Promise<InProcessRun> {
  const logs: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line) logs.push(JSON.parse(line));
      done();
    },
  });
  const logger = createLogger({ service: 'processor', level: 'info', destination });
  const metrics = recordingMetrics();
  const config = loadConfig(processorConfigSchema, {
    IDLE_EXIT_SECONDS: '1',
    CONCURRENCY: '2',
    EXECUTION_PROVIDER: 'cpu',
    ...env,
    ...overrides,
  });
  const summary = await runProcessor({ config, logger, metrics, stopSignal: new AbortController().signal });
  return { summary, logs, metrics: metrics.recorded };
}

import {
  type AwsClientOptions,
  type AwsClients,
  createAwsClients,
  resolveQueueUrl,
} from '@photo-pipeline/shared/aws';
import type { ApiConfig } from '@photo-pipeline/shared/config';
import { objectKeys } from '@photo-pipeline/shared/contracts';
import type { Logger } from '@photo-pipeline/shared/log';
import { createMetrics, type Metrics } from '@photo-pipeline/shared/metrics';
import { createResultsStore, findLatestReport } from '@photo-pipeline/shared/results-store';
import { batchedMetrics } from '../adapters/batched-metrics.ts';
import { createJobQueue } from '../adapters/job-queue.ts';
import { createObjectStore } from '../adapters/object-store.ts';
import type { AppDeps } from './app.ts';

export interface CreatedDeps extends AppDeps {
  readonly aws: AwsClients;
}

/** How the API's AWS clients are set up (the upload benchmark's ceiling uses the same). */
export function apiAwsClientOptions(maxConcurrentUploads: number): AwsClientOptions {
  return {
    maxSockets: Math.max(64, maxConcurrentUploads * 2),
    connectionTimeoutMs: 2_000,
    maxAttempts: 3,
  };
}

/**
 * The process's dependencies, made once from configuration: AWS clients sized to the upload
 * concurrency, the uploads bucket, the jobs queue (URL looked up once, lazily), the status reader.
 */
/** The landing page shows the batches of the last 7 days. */
const landingLookbackMs = 7 * 24 * 3600 * 1000;

export function createAppDeps(
  config: ApiConfig,
  logger: Logger,
  overrides: { metrics?: Metrics } = {},
): CreatedDeps {
  const aws = createAwsClients(config, apiAwsClientOptions(config.MAX_CONCURRENT_UPLOADS));
  let queueUrl: Promise<string> | undefined;
  const lookUpQueueUrl = () => {
    queueUrl ??= resolveQueueUrl(aws.sqs, config).catch((error: unknown) => {
      queueUrl = undefined;
      throw error;
    });
    return queueUrl;
  };
  const results = createResultsStore(aws, config);
  return {
    config,
    logger,
    aws,
    store: createObjectStore(aws.s3, config.UPLOADS_BUCKET),
    queue: createJobQueue(aws.sqs, lookUpQueueUrl),
    statusReader: results,
    landing: {
      latestBatches: async () => {
        const until = new Date();
        const since = new Date(until.getTime() - landingLookbackMs);
        const { batches } = await results.listBatches({ since, until, limit: 10, maxRowsScanned: 5000 });
        return batches;
      },
      // The results task's default REPORTS_PREFIX: the API does not take that setting.
      latestReport: () =>
        findLatestReport(aws.s3, { bucket: config.PROCESSED_BUCKET, prefix: objectKeys.reportsPrefix }),
    },
    // One EMF document a second rather than one per upload (see adapters/batched-metrics.ts).
    metrics: overrides.metrics ?? batchedMetrics(createMetrics('api')),
  };
}

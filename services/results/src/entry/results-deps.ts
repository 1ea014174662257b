import { type AwsClients, createAwsClients, resolveQueueUrl } from '@photo-pipeline/shared/aws';
import type { ResultsConfig } from '@photo-pipeline/shared/config';
import { createResultsStore, type ResultsStore } from '@photo-pipeline/shared/results-store';
import { createQueueInventory } from '../adapters/queued-messages.ts';
import { createThumbnailMaker } from '../adapters/thumbnails.ts';
import { createUploadsInventory } from '../adapters/uploads-bucket.ts';
import type { QueueInventory, ThumbnailMaker, UploadsInventory } from '../core/results-ports.ts';

/** What every results command needs, made once per process and handed in (tests hand in their own). */
export interface ResultsDeps {
  readonly config: ResultsConfig;
  readonly clients: AwsClients;
  readonly store: ResultsStore;
  /** Report thumbnails from the buckets' objects. */
  readonly thumbnails: ThumbnailMaker;
  /** The uploads bucket's originals and markers, for sweep-orphans. */
  readonly uploads: UploadsInventory;
  /** The jobs queue and its DLQ, for sweep-orphans; the queue's URL is looked up on first use. */
  readonly queues: QueueInventory;
  /** The folder relative paths (REPORT_OUTPUT_DIR) resolve against when INIT_CWD is unset. */
  readonly cwd: string;
}

export function createResultsDeps(config: ResultsConfig, cwd: string = process.cwd()): ResultsDeps {
  // A one-off task: fail within seconds when the endpoint is down instead of hanging.
  const clients = createAwsClients(config, {
    maxSockets: 16,
    maxAttempts: 3,
    connectionTimeoutMs: 3_000,
    requestTimeoutMs: 30_000,
  });
  const store = createResultsStore(clients, config, { defaultPageSize: config.RESULTS_PAGE_SIZE });
  return {
    config,
    clients,
    store,
    thumbnails: createThumbnailMaker(clients.s3),
    uploads: createUploadsInventory(clients.s3, config.UPLOADS_BUCKET),
    queues: createQueueInventory(clients.sqs, () => resolveQueueUrl(clients.sqs, config)),
    cwd,
  };
}

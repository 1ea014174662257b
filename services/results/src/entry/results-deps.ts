import { type AwsClients, createAwsClients } from '@photo-pipeline/shared/aws';
import type { ResultsConfig } from '@photo-pipeline/shared/config';
import { createResultsStore, type ResultsStore } from '@photo-pipeline/shared/results-store';

/** What every results command needs, made once per process and handed in (tests hand in their own). */
export interface ResultsDeps {
  readonly config: ResultsConfig;
  readonly clients: AwsClients;
  readonly store: ResultsStore;
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
  return { config, clients, store, cwd };
}

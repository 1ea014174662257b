import { localCredentials } from '@photo-pipeline/local-stack';
import {
  type DevPipeline,
  type DevPipelineOptions,
  startDevPipeline,
} from '@photo-pipeline/local-stack/dev-pipeline';
import { createAwsClients } from '@photo-pipeline/shared/aws';
import { awsEnvSchema, loadConfig, resourceEnvShape } from '@photo-pipeline/shared/config';
import type { ResultRow } from '@photo-pipeline/shared/contracts';
import { createLogger, type Logger } from '@photo-pipeline/shared/log';
import { createResultsStore } from '@photo-pipeline/shared/results-store';
import { z } from 'zod';

export interface TestPipeline {
  readonly pipeline: DevPipeline;
  readonly clients: ReturnType<typeof createAwsClients>;
  readonly store: ReturnType<typeof createResultsStore>;
  stop(): Promise<void>;
}

/** The whole local pipeline on free loopback ports, in memory, with quiet services and a fast trigger. */
export async function startTestPipeline(
  overrides: {
    env?: Record<string, string>;
    maxReceiveCount?: number;
    trigger?: { maxProcessors: number; backlogPerProcessor: number };
    triggerLogger?: Logger;
    wrapLaunch?: DevPipelineOptions['wrapLaunch'];
  } = {},
): Promise<TestPipeline> {
  const pipeline = await startDevPipeline({
    stack: {
      port: 0,
      queue: { visibilityTimeoutSeconds: 20, maxReceiveCount: overrides.maxReceiveCount ?? 5 },
    },
    apiPort: 0,
    trigger: {
      pollIntervalMs: 200,
      maxProcessors: 2,
      backlogPerProcessor: 100,
      startupFailureSeconds: 0,
      ...overrides.trigger,
    },
    env: {
      ...process.env,
      LOG_LEVEL: 'warn',
      IDLE_EXIT_SECONDS: '2',
      ...overrides.env,
    },
    logger: overrides.triggerLogger ?? createLogger({ service: 'e2e-trigger', level: 'silent' }),
    ...(overrides.wrapLaunch ? { wrapLaunch: overrides.wrapLaunch } : {}),
    onServiceOutput: (service, line) => {
      if (process.env.E2E_DEBUG) console.log(service, line);
    },
  });
  const config = loadConfig(awsEnvSchema.extend(resourceEnvShape), pipeline.serviceEnv);
  const clients = createAwsClients(config, { credentials: localCredentials });
  const store = createResultsStore(clients, z.object(resourceEnvShape).parse(pipeline.serviceEnv));
  return {
    pipeline,
    clients,
    store,
    async stop() {
      clients.destroy();
      await pipeline.stop();
    },
  };
}

/** Every row of a batch, through the batch index in upload order. */
export async function batchRows(test: TestPipeline, batchId: string): Promise<ResultRow[]> {
  const rows: ResultRow[] = [];
  for await (const page of test.store.batchPages(batchId, { pageSize: 100 })) rows.push(...page.rows);
  return rows;
}

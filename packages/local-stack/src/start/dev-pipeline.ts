import { createAwsClients } from '@photo-pipeline/shared/aws';
import { awsEnvSchema, loadConfig, processorConfigSchema } from '@photo-pipeline/shared/config';
import type { Logger } from '@photo-pipeline/shared/log';
import {
  type LocalStack,
  type LocalStackOptions,
  localCredentials,
  startLocalStack,
} from '../local-stack.ts';
import { type LocalTrigger, startLocalTrigger } from '../trigger/local-trigger.ts';
import { processorLauncher } from '../trigger/processor-launcher.ts';
import { type ApiProcess, startApiProcess } from './api-process.ts';
import { nodeCommand, repoPaths } from './repo-paths.ts';

export interface DevPipelineOptions {
  readonly stack: LocalStackOptions;
  /** 0 = any free port. */
  readonly apiPort: number;
  readonly trigger: {
    readonly pollIntervalMs: number;
    readonly maxProcessors: number;
    readonly backlogPerProcessor: number;
    readonly startupFailureSeconds: number;
  };
  /** Extra environment for the API and processors (e.g. IDLE_EXIT_SECONDS); the stack's env wins. */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly logger: Logger;
  /** Output lines of the API and of each processor run. */
  readonly onServiceOutput?: (service: 'api' | 'processor', line: string, runId?: number) => void;
}

export interface DevPipeline {
  readonly stack: LocalStack;
  readonly api: ApiProcess;
  readonly trigger: LocalTrigger;
  /** The environment the services run with (stack endpoint, resources, credentials). */
  readonly serviceEnv: Readonly<Record<string, string | undefined>>;
  stop(): Promise<void>;
}

/**
 * The whole pipeline on one machine: the embedded AWS stack, the upload API as its own process, and the
 * trigger that runs processor processes as ECS RunTask would. Stops in reverse order.
 */
export async function startDevPipeline(options: DevPipelineOptions): Promise<DevPipeline> {
  const stack = await startLocalStack(options.stack);
  const serviceEnv = { ...options.env, ...stack.serviceEnv() };
  let api: ApiProcess;
  try {
    // Every processor run reads this environment: a bad setting is refused here, by name (CONFIG_INVALID,
    // exit 2), rather than as processors that cannot start. startApiProcess checks the API's the same way.
    loadConfig(processorConfigSchema, serviceEnv);
    api = await startApiProcess(serviceEnv, options.apiPort, (line) =>
      options.onServiceOutput?.('api', line),
    );
  } catch (error) {
    await stack.stop();
    throw error;
  }
  const clients = createAwsClients(loadConfig(awsEnvSchema, stack.serviceEnv()), {
    maxAttempts: 2,
    credentials: localCredentials,
  });
  const trigger = startLocalTrigger({
    sqs: clients.sqs,
    queueUrl: stack.resources.jobsQueueUrl,
    launch: processorLauncher({
      command: nodeCommand(repoPaths.processorMain),
      env: serviceEnv,
      onOutput: (line, runId) => options.onServiceOutput?.('processor', line, runId),
    }),
    logger: options.logger,
    ...options.trigger,
  });
  return {
    stack,
    api,
    trigger,
    serviceEnv,
    async stop() {
      await Promise.allSettled([api.stop(), trigger.stop()]);
      clients.destroy();
      await stack.stop();
    },
  };
}

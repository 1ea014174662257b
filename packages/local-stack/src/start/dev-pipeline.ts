import { createAwsClients } from '@photo-pipeline/shared/aws';
import { awsEnvSchema, loadConfig, processorConfigSchema } from '@photo-pipeline/shared/config';
import { type AppError, PermanentError } from '@photo-pipeline/shared/errors';
import type { Logger } from '@photo-pipeline/shared/log';
import {
  type LocalStack,
  type LocalStackOptions,
  localCredentials,
  startLocalStack,
} from '../local-stack.ts';
import { type LocalTrigger, startLocalTrigger } from '../trigger/local-trigger.ts';
import { type LaunchProcessor, processorLauncher } from '../trigger/processor-launcher.ts';
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
  /** Wraps the processor launcher, e.g. to record each run (pnpm start's state file). */
  readonly wrapLaunch?: (launch: LaunchProcessor) => LaunchProcessor;
}

export interface DevPipeline {
  readonly stack: LocalStack;
  readonly api: ApiProcess;
  readonly trigger: LocalTrigger;
  /** The environment the services run with (stack endpoint, resources, credentials). */
  readonly serviceEnv: Readonly<Record<string, string | undefined>>;
  /**
   * Settles when a part stops by itself: an emulator (STACK_EMULATOR_FAILED), the API or a processor
   * failing at start-up, which the trigger does not restart (STACK_SERVICE_FAILED).
   */
  readonly failed: Promise<AppError>;
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
  const launch = processorLauncher({
    command: nodeCommand(repoPaths.processorMain),
    env: serviceEnv,
    onOutput: (line, runId) => options.onServiceOutput?.('processor', line, runId),
  });
  let stopping = false;
  const failure = { resolve: (_error: AppError): void => undefined };
  const failed = new Promise<AppError>((resolve) => {
    failure.resolve = resolve;
  });
  const trigger = startLocalTrigger({
    sqs: clients.sqs,
    queueUrl: stack.resources.jobsQueueUrl,
    launch: options.wrapLaunch ? options.wrapLaunch(launch) : launch,
    logger: options.logger,
    ...options.trigger,
    onStartupFailure: (run) =>
      failure.resolve(
        new PermanentError(
          'STACK_SERVICE_FAILED',
          `processor run ${run.runId} ${run.signal ? `was killed by ${run.signal}` : `exited with code ${run.exitCode}`} right after it started; its log says why`,
        ),
      ),
  });
  void stack.died.then((died) =>
    failure.resolve(new PermanentError('STACK_EMULATOR_FAILED', died.message, { cause: died })),
  );
  void api.exited.then((how) => {
    if (!stopping) {
      failure.resolve(new PermanentError('STACK_SERVICE_FAILED', `the upload API ${how}; its log says why`));
    }
  });
  return {
    stack,
    api,
    trigger,
    serviceEnv,
    failed,
    async stop() {
      stopping = true;
      await Promise.allSettled([api.stop(), trigger.stop()]);
      clients.destroy();
      await stack.stop();
    },
  };
}

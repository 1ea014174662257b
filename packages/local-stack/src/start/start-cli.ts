import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '@photo-pipeline/shared/config';
import { newBatchId } from '@photo-pipeline/shared/contracts';
import { runMain } from '@photo-pipeline/shared/errors';
import { createLogger } from '@photo-pipeline/shared/log';
import { Command } from 'commander';
import { cliArguments } from '../cli-arguments.ts';
import { describeStack } from '../describe-stack.ts';
import { startDevPipeline } from './dev-pipeline.ts';
import { repoPaths } from './repo-paths.ts';
import { runTool } from './run-tool.ts';
import { startConfigSchema } from './start-config.ts';

/**
 * `pnpm start`: the project's main job. Starts the local stack, the API and the trigger; uploads the
 * sample images through the client and waits for their results; prints them with the results task and
 * writes the HTML report; then keeps running for more uploads until Ctrl-C.
 */
async function main(): Promise<number> {
  const config = loadConfig(startConfigSchema);
  const program = new Command('start')
    .description(
      'Run the whole pipeline locally: AWS stack, upload API, trigger + processor; upload the samples.',
    )
    .option('--no-samples', 'do not upload the sample images')
    .option('--exit-after-samples', 'stop everything once the samples are processed and reported')
    .option('--in-memory', 'keep nothing on disk [env STACK_IN_MEMORY]', config.STACK_IN_MEMORY)
    .exitOverride();
  try {
    program.parse(cliArguments(process.argv), { from: 'node' });
  } catch (error) {
    return (error as { exitCode?: number }).exitCode === 0 ? 0 : 2;
  }
  const options = program.opts<{ samples: boolean; exitAfterSamples?: boolean; inMemory: boolean }>();

  mkdirSync(repoPaths.logs, { recursive: true });
  const logFiles = {
    trigger: createWriteStream(join(repoPaths.logs, 'trigger.log'), { flags: 'a' }),
    api: createWriteStream(join(repoPaths.logs, 'api.log'), { flags: 'a' }),
    processor: createWriteStream(join(repoPaths.logs, 'processor.log'), { flags: 'a' }),
  };
  const triggerLogger = createLogger({
    service: 'local-trigger',
    destination: {
      write(line: string) {
        logFiles.trigger.write(line);
        const entry = JSON.parse(line) as Record<string, unknown>;
        const { level: _l, time: _t, service: _s, msg, ...fields } = entry;
        const detail = Object.entries(fields)
          .filter(([, value]) => value !== undefined && value !== null)
          .map(([key, value]) => `${key}=${describeValue(value)}`)
          .join(' ');
        process.stdout.write(`[trigger] ${String(msg)} ${detail}\n`);
      },
    },
  });

  const dataDir = options.inMemory ? undefined : config.STACK_DATA_DIR;
  const pipeline = await startDevPipeline({
    stack: {
      port: config.STACK_PORT,
      host: config.STACK_HOST,
      region: config.AWS_REGION,
      dataDir,
      queue: {
        maxReceiveCount: config.STACK_MAX_RECEIVE_COUNT,
        visibilityTimeoutSeconds: config.STACK_VISIBILITY_TIMEOUT_SECONDS,
      },
    },
    apiPort: config.API_PORT,
    trigger: {
      pollIntervalMs: config.TRIGGER_POLL_INTERVAL_MS,
      maxProcessors: config.TRIGGER_MAX_PROCESSORS,
      backlogPerProcessor: config.TRIGGER_BACKLOG_PER_PROCESSOR,
      startupFailureSeconds: config.TRIGGER_STARTUP_FAILURE_SECONDS,
    },
    env: process.env,
    logger: triggerLogger,
    onServiceOutput: (service, line) => logFiles[service].write(`${line}\n`),
  });
  const toolEnv = {
    ...pipeline.serviceEnv,
    PHOTO_PIPELINE_ENDPOINT: pipeline.api.url,
    INIT_CWD: repoPaths.root,
  };
  process.stdout.write(describeStack(pipeline.stack, dataDir));
  process.stdout.write(`upload API listening on ${pipeline.api.url} (docs: ${pipeline.api.url}/docs)\n`);
  process.stdout.write(`service logs: ${repoPaths.logs}{api,processor,trigger}.log\n\n`);

  let exitCode = 0;
  if (options.samples) {
    const batchId = `samples-${newBatchId()}`;
    process.stdout.write(`uploading the sample images (batch ${batchId}) and waiting for their results...\n`);
    const uploaded = await runTool(
      repoPaths.uploadCli,
      [repoPaths.samples, '--endpoint', pipeline.api.url, '--batch-id', batchId, '--wait'],
      toolEnv,
    );
    process.stdout.write(`\nresults of batch ${batchId}:\n`);
    await runTool(repoPaths.resultsCli, ['batch', batchId], toolEnv);
    process.stdout.write('\npost-processing report:\n');
    const reported = await runTool(repoPaths.resultsCli, ['report', batchId], toolEnv);
    // The samples include one broken image on purpose, so the client reports a failure; that is the demo.
    exitCode = reported === 0 ? 0 : reported;
    if (uploaded !== 0 && uploaded !== 1 && uploaded !== 3) exitCode = uploaded;
  }

  if (!options.exitAfterSamples) {
    process.stdout.write(
      [
        '',
        `ready for more: the API is on ${pipeline.api.url}`,
        `  pnpm upload <files or folders...> --endpoint ${pipeline.api.url} --wait`,
        `  curl -F file=@photo.jpg ${pipeline.api.url}/v1/images`,
        '  pnpm results list',
        'Ctrl-C stops everything.',
        '',
      ].join('\n'),
    );
    const died = await new Promise<Error | undefined>((resolve) => {
      process.once('SIGINT', () => resolve(undefined));
      process.once('SIGTERM', () => resolve(undefined));
      void pipeline.stack.died.then(resolve);
      process.once('uncaughtException', resolve);
    });
    if (died) {
      process.stderr.write(`error STACK_EMULATOR_FAILED: ${died.message}; stopping everything\n`);
      exitCode = 1;
    }
    process.stdout.write('\nstopping: API, processors, local stack...\n');
  }
  await pipeline.stop();
  for (const file of Object.values(logFiles)) file.end();
  return exitCode;
}

/** One log field as a short human-readable value (an error shows its message only). */
function describeValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object' && 'message' in value) return JSON.stringify(String(value.message));
  return JSON.stringify(value);
}

await runMain(main);

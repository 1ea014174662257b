import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '@photo-pipeline/shared/config';
import { newBatchId } from '@photo-pipeline/shared/contracts';
import { runMain } from '@photo-pipeline/shared/errors';
import { createLogger } from '@photo-pipeline/shared/log';
import { Command } from 'commander';
import { cliArguments } from '../cli-arguments.ts';
import { awsExportLine, describeStack } from '../describe-stack.ts';
import { startDevPipeline } from './dev-pipeline.ts';
import { repoPaths } from './repo-paths.ts';
import { runTool, runToolForJson } from './run-tool.ts';
import { startConfigSchema } from './start-config.ts';

/**
 * `pnpm start`: the project's main job. Starts the local stack, the API and the trigger; uploads the
 * sample images through the client and waits for their results; prints them with the results task and
 * writes the HTML report; then keeps running for more uploads until Ctrl-C. With `--json`, stdout is JSON
 * lines for scripts, one object per event: `ready` (endpoints, resources, logs), `trigger` (each run
 * started or finished), `samples` (the upload, batch and report documents of the CLIs' own --json) and
 * `stopped` (the exit code).
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
    .option('--json', 'JSON lines on stdout for scripts: ready, trigger, samples and stopped events')
    .exitOverride();
  try {
    program.parse(cliArguments(process.argv), { from: 'node' });
  } catch (error) {
    return (error as { exitCode?: number }).exitCode === 0 ? 0 : 2;
  }
  const options = program.opts<{
    samples: boolean;
    exitAfterSamples?: boolean;
    inMemory: boolean;
    json?: boolean;
  }>();
  const emit: Emit = (event, fields) => process.stdout.write(`${JSON.stringify({ event, ...fields })}\n`);

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
        const { level, time, service: _s, msg, ...fields } = entry;
        if (options.json) {
          emit('trigger', { level, time, msg, ...fields });
          return;
        }
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
      maxProcessors: config.MAX_PROCESSOR_TASKS,
      backlogPerProcessor: config.BACKLOG_PER_TASK,
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
  if (options.json) {
    emit('ready', {
      endpoint: pipeline.stack.endpoint,
      dataDir: dataDir ?? null,
      apiUrl: pipeline.api.url,
      docsUrl: `${pipeline.api.url}/docs`,
      logsDir: repoPaths.logs,
      jobsQueueUrl: pipeline.stack.resources.jobsQueueUrl,
      deadLetterQueueUrl: pipeline.stack.resources.deadLetterQueueUrl,
      env: pipeline.stack.serviceEnv(),
    });
  } else {
    process.stdout.write(describeStack(pipeline.stack, dataDir));
    process.stdout.write(`upload API listening on ${pipeline.api.url} (docs: ${pipeline.api.url}/docs)\n`);
    process.stdout.write(`service logs: ${repoPaths.logs}{api,processor,trigger}.log\n\n`);
  }

  let exitCode = options.samples
    ? await runSamples(pipeline.api.url, toolEnv, options.json ? emit : undefined)
    : 0;

  if (!options.exitAfterSamples && !options.json) {
    process.stdout.write(
      [
        '',
        `ready for more: the API is on ${pipeline.api.url}`,
        `  npm run upload -- <files or folders...> --endpoint ${pipeline.api.url} --wait`,
        `  curl -F file=@photo.jpg ${pipeline.api.url}/v1/images`,
        `  ${awsExportLine(pipeline.stack)}`,
        '  npm run results -- list',
        'Ctrl-C stops everything.',
        '',
      ].join('\n'),
    );
  }
  if (!options.exitAfterSamples) {
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
    if (!options.json) process.stdout.write('\nstopping: API, processors, local stack...\n');
  }
  await pipeline.stop();
  for (const file of Object.values(logFiles)) file.end();
  if (options.json) emit('stopped', { exitCode });
  return exitCode;
}

type Emit = (event: string, fields: Record<string, unknown>) => void;

/**
 * Uploads the sample images through the client and waits for them, then prints the batch and its report
 * with the results task: as text, or with `emit` as one `samples` event holding the CLIs' JSON documents.
 */
async function runSamples(
  apiUrl: string,
  toolEnv: Readonly<Record<string, string | undefined>>,
  emit: Emit | undefined,
): Promise<number> {
  const batchId = `samples-${newBatchId()}`;
  const uploadArgs = [repoPaths.samples, '--endpoint', apiUrl, '--batch-id', batchId, '--wait'];
  if (emit) {
    const upload = await runToolForJson(repoPaths.uploadCli, [...uploadArgs, '--json'], toolEnv);
    const batch = await runToolForJson(repoPaths.resultsCli, ['batch', batchId, '--json'], toolEnv);
    const report = await runToolForJson(repoPaths.resultsCli, ['report', batchId, '--json'], toolEnv);
    emit('samples', { batchId, upload: upload.document, batch: batch.document, report: report.document });
    return samplesExitCode(upload.exitCode, report.exitCode);
  }
  process.stdout.write(`uploading the sample images (batch ${batchId}) and waiting for their results...\n`);
  const uploaded = await runTool(repoPaths.uploadCli, uploadArgs, toolEnv);
  process.stdout.write(`\nresults of batch ${batchId}:\n`);
  await runTool(repoPaths.resultsCli, ['batch', batchId], toolEnv);
  process.stdout.write('\npost-processing report:\n');
  const reported = await runTool(repoPaths.resultsCli, ['report', batchId], toolEnv);
  return samplesExitCode(uploaded, reported);
}

/**
 * The samples include one broken image on purpose, so the client reports a failure (1, or 3 for an image
 * not found): that is the demo, not an error. The report's exit code counts, and any other from the client.
 */
function samplesExitCode(uploaded: number, reported: number): number {
  if (uploaded !== 0 && uploaded !== 1 && uploaded !== 3) return uploaded;
  return reported;
}

/** One log field as a short human-readable value (an error shows its message only). */
function describeValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object' && 'message' in value) return JSON.stringify(String(value.message));
  return JSON.stringify(value);
}

await runMain(main);

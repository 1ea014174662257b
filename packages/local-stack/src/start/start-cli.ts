import { createWriteStream, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { runMain } from '@photo-pipeline/shared/cli';
import { loadConfig } from '@photo-pipeline/shared/config';
import { type AppError, PermanentError } from '@photo-pipeline/shared/errors';
import { createLogger } from '@photo-pipeline/shared/log';
import { cliArguments } from '../cli-arguments.ts';
import { describeStack, stackExportLine } from '../describe-stack.ts';
import { startDevPipeline } from './dev-pipeline.ts';
import { repoPaths } from './repo-paths.ts';
import { type Emit, runSamples } from './run-samples.ts';
import { startConfigSchema } from './start-config.ts';
import { type StartOptions, startProgram } from './start-options.ts';
import { describeStartedPipeline, startStateRecorder } from './start-state.ts';

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
  const program = startProgram(config);
  program.parse(cliArguments(process.argv), { from: 'node' });
  const options = program.opts<StartOptions>();
  const emit: Emit = (event, fields) => process.stdout.write(`${JSON.stringify({ event, ...fields })}\n`);

  const cwd = config.INIT_CWD ?? process.cwd();
  const logsDir = resolve(cwd, options.logsDir);
  mkdirSync(logsDir, { recursive: true });
  const logFiles = {
    trigger: createWriteStream(join(logsDir, 'trigger.log'), { flags: 'a' }),
    api: createWriteStream(join(logsDir, 'api.log'), { flags: 'a' }),
    processor: createWriteStream(join(logsDir, 'processor.log'), { flags: 'a' }),
  };
  const state = startStateRecorder(resolve(cwd, config.START_STATE_FILE));
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
  const trigger = {
    pollIntervalMs: config.TRIGGER_POLL_INTERVAL_MS,
    maxProcessors: config.MAX_PROCESSOR_TASKS,
    backlogPerProcessor: config.BACKLOG_PER_TASK,
    startupFailureSeconds: config.TRIGGER_STARTUP_FAILURE_SECONDS,
  };
  const pipeline = await startDevPipeline({
    stack: {
      port: options.port,
      host: config.STACK_HOST,
      region: config.AWS_REGION,
      dataDir,
      queue: {
        maxReceiveCount: config.STACK_MAX_RECEIVE_COUNT,
        visibilityTimeoutSeconds: config.STACK_VISIBILITY_TIMEOUT_SECONDS,
      },
    },
    apiPort: options.apiPort,
    trigger,
    env: process.env,
    logger: triggerLogger,
    onServiceOutput: (service, line) => logFiles[service].write(`${line}\n`),
    wrapLaunch: state.recording,
  });
  state.publish(describeStartedPipeline(pipeline, { dataDir: dataDir ?? null, logsDir, trigger }));
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
      logsDir,
      jobsQueueUrl: pipeline.stack.resources.jobsQueueUrl,
      deadLetterQueueUrl: pipeline.stack.resources.deadLetterQueueUrl,
      env: pipeline.stack.serviceEnv(),
    });
  } else {
    process.stdout.write(describeStack(pipeline.stack, dataDir));
    process.stdout.write(`upload API listening on ${pipeline.api.url} (docs: ${pipeline.api.url}/docs)\n`);
    process.stdout.write(`service logs: ${join(logsDir, '{api,processor,trigger}.log')}\n\n`);
  }

  const stopSamples = new AbortController();
  const samples = options.samples
    ? runSamples(pipeline.api.url, toolEnv, options.json ? emit : undefined, stopSamples.signal)
    : Promise.resolve(0);
  const afterSamples = await Promise.race([
    samples.then((exitCode) => ({ exitCode })),
    pipeline.failed.then((failure) => ({ failure })),
  ]);
  if ('failure' in afterSamples) {
    stopSamples.abort();
    await samples.catch(() => undefined);
    return stopOnFailure(afterSamples.failure);
  }
  const exitCode = afterSamples.exitCode;

  if (!options.exitAfterSamples && !options.json) {
    process.stdout.write(
      [
        '',
        `ready for more: the API is on ${pipeline.api.url}`,
        `  npm run upload -- <files or folders...> --endpoint ${pipeline.api.url} --wait`,
        `  curl -F file=@photo.jpg ${pipeline.api.url}/v1/images`,
        `  ${stackExportLine(pipeline.stack)}`,
        '  npm run results -- list',
        'Ctrl-C stops everything.',
        '',
      ].join('\n'),
    );
  }
  if (!options.exitAfterSamples) {
    const failure = await new Promise<AppError | undefined>((resolve) => {
      process.once('SIGINT', () => resolve(undefined));
      process.once('SIGTERM', () => resolve(undefined));
      void pipeline.failed.then(resolve);
      // An emulator that throws from inside its request handling must stop everything with a clear message.
      process.once('uncaughtException', (error) =>
        resolve(new PermanentError('STACK_EMULATOR_FAILED', error.message, { cause: error })),
      );
    });
    if (failure) return stopOnFailure(failure);
    if (!options.json) process.stdout.write('\nstopping: API, processors, local stack...\n');
  }
  return stop(exitCode);

  /** Everything stopped, the state file marked, the log files closed. */
  async function stop(code: number): Promise<number> {
    await pipeline.stop();
    state.stopped(code);
    for (const file of Object.values(logFiles)) file.end();
    if (options.json) emit('stopped', { exitCode: code });
    return code;
  }

  async function stopOnFailure(failure: AppError): Promise<number> {
    process.stderr.write(
      `error ${failure.code}: ${failure.message} (logs: ${logsDir}); stopping everything\n`,
    );
    return stop(failure.exitCode);
  }
}

/** One log field as a short human-readable value (an error shows its message only). */
function describeValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object' && 'message' in value) return JSON.stringify(String(value.message));
  return JSON.stringify(value);
}

await runMain(main);

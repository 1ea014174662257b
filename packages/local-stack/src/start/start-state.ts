import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { PermanentError } from '@photo-pipeline/shared/errors';
import { z } from 'zod';
import type { LaunchProcessor, ProcessorRun, ProcessorRunResult } from '../trigger/processor-launcher.ts';
import type { DevPipeline, DevPipelineOptions } from './dev-pipeline.ts';

const isoTime = z.iso.datetime({ offset: true });

const processorRunSchema = z.object({
  runId: z.number().int().positive(),
  pid: z.number().int().positive().nullable(),
  reason: z.string(),
  startedAt: isoTime,
});

const finishedRunSchema = processorRunSchema.extend({
  endedAt: isoTime,
  exitCode: z.number().int().nullable(),
  signal: z.string().nullable(),
  imagesProcessed: z.number().int().nullable(),
  imagesFailed: z.number().int().nullable(),
});

/**
 * What a running `pnpm start` publishes for `pnpm status` (a JSON file, rewritten whole on every change):
 * its process, the stack and API it started, where its logs are, and the processors the local trigger
 * runs and ran. Version 1.
 */
export const startStateSchema = z.object({
  version: z.literal(1),
  pid: z.number().int().positive(),
  startedAt: isoTime,
  updatedAt: isoTime,
  /** Set once `pnpm start` has stopped, with its exit code. */
  stopped: z.object({ at: isoTime, exitCode: z.number().int() }).nullable(),
  stack: z.object({
    endpoint: z.string(),
    port: z.number().int(),
    dataDir: z.string().nullable(),
    deadLetterQueueUrl: z.string(),
    /** The environment the services run with: endpoint, region, credentials, resource names. */
    serviceEnv: z.record(z.string(), z.string()),
  }),
  api: z.object({ url: z.string(), port: z.number().int() }),
  logsDir: z.string(),
  /** The local trigger's limits: MAX_PROCESSOR_TASKS and BACKLOG_PER_TASK. */
  scaling: z.object({
    maxProcessorTasks: z.number().int().positive(),
    backlogPerTask: z.number().int().positive(),
  }),
  processors: z.object({
    running: z.array(processorRunSchema),
    finishedCount: z.number().int().nonnegative(),
    lastFinished: finishedRunSchema.nullable(),
  }),
});

export type StartState = z.output<typeof startStateSchema>;
export type StartStateRun = z.output<typeof processorRunSchema>;
export type StartStateFinishedRun = z.output<typeof finishedRunSchema>;

/** The parts of the state known once everything has started. */
export type StartedPipeline = Pick<StartState, 'stack' | 'api' | 'logsDir' | 'scaling'>;

/** What a started pipeline publishes: its stack, API, logs folder and the trigger's limits. */
export function describeStartedPipeline(
  pipeline: Pick<DevPipeline, 'stack' | 'api'>,
  settings: {
    readonly dataDir: string | null;
    readonly logsDir: string;
    readonly trigger: Pick<DevPipelineOptions['trigger'], 'maxProcessors' | 'backlogPerProcessor'>;
  },
): StartedPipeline {
  return {
    stack: {
      endpoint: pipeline.stack.endpoint,
      port: pipeline.stack.port,
      dataDir: settings.dataDir,
      deadLetterQueueUrl: pipeline.stack.resources.deadLetterQueueUrl,
      serviceEnv: pipeline.stack.serviceEnv(),
    },
    api: { url: pipeline.api.url, port: Number(new URL(pipeline.api.url).port) },
    logsDir: settings.logsDir,
    scaling: {
      maxProcessorTasks: settings.trigger.maxProcessors,
      backlogPerTask: settings.trigger.backlogPerProcessor,
    },
  };
}

export interface StartStateRecorder {
  /** The trigger's launcher, wrapped so that every run started and finished is recorded. */
  recording(launch: LaunchProcessor): LaunchProcessor;
  /** Writes the file for the first time, once the stack and the API answer. */
  publish(pipeline: StartedPipeline): void;
  /** Marks the state stopped, unless another `pnpm start` has published its own since. */
  stopped(exitCode: number): void;
}

/**
 * Keeps `pnpm start`'s state file up to date. Nothing is written before `publish`, so a start that fails
 * (a port in use, say) leaves the state of one that runs untouched.
 */
export function startStateRecorder(path: string, now: () => Date = () => new Date()): StartStateRecorder {
  const startedAt = now().toISOString();
  const running = new Map<number, StartStateRun>();
  let finishedCount = 0;
  let lastFinished: StartStateFinishedRun | null = null;
  let pipeline: StartedPipeline | undefined;

  const write = (stopped: StartState['stopped']) => {
    if (!pipeline) return;
    const state: StartState = {
      version: 1,
      pid: process.pid,
      startedAt,
      updatedAt: now().toISOString(),
      stopped,
      ...pipeline,
      processors: { running: [...running.values()], finishedCount, lastFinished },
    };
    mkdirSync(dirname(path), { recursive: true });
    const temporary = `${path}.${process.pid}.tmp`;
    writeFileSync(temporary, `${JSON.stringify(state, null, 2)}\n`);
    renameSync(temporary, path);
  };

  const finished = (run: ProcessorRun, result: ProcessorRunResult) => {
    running.delete(run.runId);
    finishedCount += 1;
    lastFinished = {
      ...runState(run),
      endedAt: result.endedAt.toISOString(),
      exitCode: result.exitCode,
      signal: result.signal,
      imagesProcessed: result.imagesProcessed ?? null,
      imagesFailed: result.imagesFailed ?? null,
    };
    write(null);
  };

  return {
    recording: (launch) => (runId, reason) => {
      const run = launch(runId, reason);
      running.set(run.runId, runState(run));
      write(null);
      void run.finished.then((result) => finished(run, result));
      return run;
    },
    publish(started) {
      pipeline = started;
      write(null);
    },
    stopped(exitCode) {
      if (readStartState(path)?.pid !== process.pid) return;
      write({ at: now().toISOString(), exitCode });
    },
  };
}

function runState(run: ProcessorRun): StartStateRun {
  return {
    runId: run.runId,
    pid: run.pid ?? null,
    reason: run.reason,
    startedAt: run.startedAt.toISOString(),
  };
}

/** The state a `pnpm start` published at this path, or undefined when there is none. */
export function readStartState(path: string): StartState | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new PermanentError('CONFIG_INVALID', `cannot read the pnpm start state file ${path}`, {
      cause: error,
    });
  }
  const parsed = startStateSchema.safeParse(parseJson(text));
  if (!parsed.success) {
    throw new PermanentError(
      'CONFIG_INVALID',
      `${path} is not a state file pnpm start wrote (${parsed.error.issues[0]?.message ?? 'invalid'}); delete it`,
    );
  }
  return parsed.data;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

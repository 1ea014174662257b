import type { SQSClient } from '@aws-sdk/client-sqs';
import type { Logger } from '@photo-pipeline/shared/log';
import { decideProcessorsToStart } from '@photo-pipeline/shared/scaling';
import type { LaunchProcessor, ProcessorRun, ProcessorRunResult } from './processor-launcher.ts';
import { type QueueDepth, readQueueDepth } from './queue-depth.ts';

export interface LocalTriggerOptions {
  readonly sqs: SQSClient;
  readonly queueUrl: string;
  readonly launch: LaunchProcessor;
  readonly logger: Logger;
  readonly pollIntervalMs: number;
  /** MAX_PROCESSOR_TASKS: processors running at once, at most. */
  readonly maxProcessors: number;
  /** BACKLOG_PER_TASK: one processor per this many visible messages (the shared scaling decision). */
  readonly backlogPerProcessor: number;
  /**
   * A run that fails (non-zero exit or a signal) sooner than this after it started is a start-up failure
   * (a bad setting, a model that breaks the contract): the backstop does not start another, as on AWS,
   * so a processor that cannot start is reported once instead of relaunched on every poll. 0 restarts
   * after every failure.
   */
  readonly startupFailureSeconds: number;
  /** Told of each start-up failure, after it is logged (`pnpm start` stops on one). */
  readonly onStartupFailure?: (run: CompletedRun) => void;
}

export interface CompletedRun extends ProcessorRunResult {
  readonly runId: number;
  readonly reason: string;
  readonly startedAt: Date;
}

export interface LocalTrigger {
  /** Every run that has finished, oldest first. */
  readonly completedRuns: readonly CompletedRun[];
  /** How many processors are running now. */
  runningCount(): number;
  /** The processors running now (to stop or kill one, as ECS StopTask or a crash would). */
  runningRuns(): readonly ProcessorRun[];
  /** Stops watching, sends SIGTERM to running processors and waits for them. */
  stop(): Promise<void>;
}

/**
 * The local stand-in for the AWS scaler. It polls the jobs queue and starts the processors the shared
 * decision asks for (clamp(ceil(visible / backlogPerProcessor), 0, maxProcessors) minus those running).
 * When a processor exits (crash or idle) while messages remain, the decision starts another on the next
 * poll, unless the run failed within startupFailureSeconds of starting: then nothing starts until the
 * queue has been empty, the same start-up-failure rule as the AWS side.
 */
export function startLocalTrigger(options: LocalTriggerOptions): LocalTrigger {
  const { logger } = options;
  const running = new Map<number, ProcessorRun>();
  const completedRuns: CompletedRun[] = [];
  let nextRunId = 1;
  let previousVisible = 0;
  let pendingBackstop: string | undefined;
  let heldByStartupFailure = false;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let currentTick: Promise<void> = Promise.resolve();

  const launch = (reason: string) => {
    const run = options.launch(nextRunId, reason);
    nextRunId += 1;
    running.set(run.runId, run);
    logger.info(
      { runId: run.runId, pid: run.pid, reason, startedAt: run.startedAt.toISOString() },
      'processor started',
    );
    void run.finished.then((result) => {
      running.delete(run.runId);
      const completed: CompletedRun = {
        ...result,
        runId: run.runId,
        reason: run.reason,
        startedAt: run.startedAt,
      };
      completedRuns.push(completed);
      logger.info(
        {
          runId: run.runId,
          reason: run.reason,
          exitCode: result.exitCode,
          signal: result.signal,
          imagesProcessed: result.imagesProcessed,
          imagesFailed: result.imagesFailed,
          durationMs: result.endedAt.getTime() - run.startedAt.getTime(),
        },
        'processor finished',
      );
      if (stopped) return;
      const how = result.signal ? `was killed by ${result.signal}` : `exited with code ${result.exitCode}`;
      const ranSeconds = (result.endedAt.getTime() - run.startedAt.getTime()) / 1000;
      if (result.exitCode !== 0 && ranSeconds < options.startupFailureSeconds) {
        logger.error(
          { runId: run.runId, exitCode: result.exitCode, signal: result.signal, ranSeconds },
          `processor run ${run.runId} ${how} ${ranSeconds.toFixed(1)} s after it started: a start-up ` +
            'failure, not restarted (its log says why); fix the cause, then start the pipeline again',
        );
        pendingBackstop = undefined;
        heldByStartupFailure = true;
        options.onStartupFailure?.(completed);
        return;
      }
      pendingBackstop = `backstop: run ${run.runId} ${how}`;
    });
  };

  const decide = (depth: QueueDepth) => {
    const remaining = depth.visible + depth.inFlight;
    if (remaining === 0) {
      pendingBackstop = undefined;
      heldByStartupFailure = false;
    }
    const decision = decideProcessorsToStart(
      { visibleMessages: depth.visible, activeTasks: running.size },
      { maxTasks: options.maxProcessors, backlogPerTask: options.backlogPerProcessor },
    );
    // The backstop also counts in-flight messages: a crashed run's batch is invisible until it times out.
    const backstopDue = pendingBackstop !== undefined && running.size === 0 && remaining > 0;
    const tasksToStart = Math.max(decision.tasksToStart, backstopDue ? 1 : 0);
    for (let started = 0; started < tasksToStart && !heldByStartupFailure; started += 1) {
      if (pendingBackstop && running.size === 0) {
        launch(`${pendingBackstop} while ${remaining} message(s) remain`);
      } else if (previousVisible === 0 && running.size === 0) {
        launch(`queue went from empty to ${depth.visible} visible message(s)`);
      } else {
        launch(`backlog of ${depth.visible} visible message(s) for ${running.size} running processor(s)`);
      }
      pendingBackstop = undefined;
    }
    previousVisible = depth.visible;
  };

  const tick = async () => {
    try {
      decide(await readQueueDepth(options.sqs, options.queueUrl));
    } catch (error) {
      logger.warn({ err: error }, 'could not read the jobs queue depth; trying again');
    }
    if (!stopped) timer = setTimeout(() => (currentTick = tick()), options.pollIntervalMs);
  };
  currentTick = tick();

  return {
    completedRuns,
    runningCount: () => running.size,
    runningRuns: () => [...running.values()],
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await currentTick;
      const finishing = [...running.values()].map((run) => {
        run.kill('SIGTERM');
        return run.finished;
      });
      await Promise.all(finishing);
    },
  };
}

import type { SQSClient } from '@aws-sdk/client-sqs';
import type { Logger } from '@photo-pipeline/shared/log';
import type { LaunchProcessor, ProcessorRun, ProcessorRunResult } from './processor-launcher.ts';
import { type QueueDepth, readQueueDepth } from './queue-depth.ts';

export interface LocalTriggerOptions {
  readonly sqs: SQSClient;
  readonly queueUrl: string;
  readonly launch: LaunchProcessor;
  readonly logger: Logger;
  readonly pollIntervalMs: number;
  /** Upper bound on processors running at once. */
  readonly maxProcessors: number;
  /** Visible messages per running processor above which one more is started (up to maxProcessors). */
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
 * The local stand-in for CloudWatch alarm -> EventBridge -> ECS RunTask. It polls the jobs queue and
 * starts a processor when the queue goes from empty to non-empty. One processor serves one edge; more
 * start only for a backlog (up to maxProcessors). When a processor exits (crash or idle) while messages
 * remain and none is running, it starts another, unless the run failed within startupFailureSeconds of
 * starting: the same backstop, with the same rule, as the AWS side.
 */
export function startLocalTrigger(options: LocalTriggerOptions): LocalTrigger {
  const { logger } = options;
  const running = new Map<number, ProcessorRun>();
  const completedRuns: CompletedRun[] = [];
  let nextRunId = 1;
  let previousVisible = 0;
  let pendingBackstop: string | undefined;
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
        options.onStartupFailure?.(completed);
        return;
      }
      pendingBackstop = `backstop: run ${run.runId} ${how}`;
    });
  };

  const decide = (depth: QueueDepth) => {
    const remaining = depth.visible + depth.inFlight;
    if (previousVisible === 0 && depth.visible > 0 && running.size === 0) {
      launch(`queue went from empty to ${depth.visible} visible message(s)`);
      pendingBackstop = undefined;
    } else if (pendingBackstop && running.size === 0 && remaining > 0) {
      launch(`${pendingBackstop} while ${remaining} message(s) remain`);
      pendingBackstop = undefined;
    } else if (
      running.size > 0 &&
      running.size < options.maxProcessors &&
      depth.visible > options.backlogPerProcessor * running.size
    ) {
      launch(`backlog of ${depth.visible} visible message(s) for ${running.size} running processor(s)`);
    }
    if (remaining === 0) pendingBackstop = undefined;
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

import type { Task } from '@aws-sdk/client-ecs';
import { PermanentError } from '@photo-pipeline/shared/errors';

export interface WaitOptions {
  readonly timeoutSeconds: number;
  readonly pollSeconds: number;
  /** Told each time the task's status changes (progress on stderr). */
  readonly onStatus: (status: string) => void;
  readonly sleep: (ms: number) => Promise<void>;
  readonly now: () => number;
}

/** Polls `describe` until the task has stopped; returns the stopped task. */
export async function waitForTaskStop(
  describe: () => Promise<Task | undefined>,
  options: WaitOptions,
): Promise<Task> {
  const deadline = options.now() + options.timeoutSeconds * 1000;
  let lastStatus = '';
  for (;;) {
    const task = await describe();
    const status = task?.lastStatus ?? 'UNKNOWN';
    if (status !== lastStatus) {
      options.onStatus(status);
      lastStatus = status;
    }
    if (task && status === 'STOPPED') return task;
    if (options.now() >= deadline) {
      throw new PermanentError(
        'DEPENDENCY_FAILED',
        `the results task did not stop within ${options.timeoutSeconds}s (last status ${status}); it keeps running`,
      );
    }
    await options.sleep(options.pollSeconds * 1000);
  }
}

/**
 * The results container's exit code. A task that stopped without one never ran the CLI (image pull,
 * network or capacity problem): that is reported with ECS's reason.
 */
export function exitCodeOf(task: Task, containerName: string): number {
  const container = task.containers?.find((candidate) => candidate.name === containerName);
  if (typeof container?.exitCode === 'number') return container.exitCode;
  const reason = [task.stoppedReason, container?.reason].filter(Boolean).join('; ');
  throw new PermanentError(
    'DEPENDENCY_FAILED',
    `the results task stopped without running: ${reason || 'no reason given'}`,
  );
}

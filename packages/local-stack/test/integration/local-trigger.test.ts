import { fileURLToPath } from 'node:url';
import { SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { createLogger } from '@photo-pipeline/shared/log';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '../../src/local-stack.ts';
import { type LocalTrigger, startLocalTrigger } from '../../src/trigger/local-trigger.ts';
import { type LaunchProcessor, processorLauncher } from '../../src/trigger/processor-launcher.ts';
import { readQueueDepth } from '../../src/trigger/queue-depth.ts';
import { clientsFor } from './stack-clients.ts';

const fakeProcessor = fileURLToPath(new URL('../fixtures/fake-processor.ts', import.meta.url));
const silent = createLogger({ service: 'trigger-test', level: 'silent' });

async function sendMessages(clients: ReturnType<typeof clientsFor>, queueUrl: string, count: number) {
  for (let start = 0; start < count; start += 10) {
    const entries = Array.from({ length: Math.min(10, count - start) }, (_, i) => ({
      Id: `m${start + i}`,
      MessageBody: `job ${start + i}`,
    }));
    await clients.sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries }));
  }
}

async function eventually(check: () => Promise<boolean> | boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('condition not met in time');
}

describe('local trigger (CloudWatch alarm -> EventBridge -> RunTask stand-in)', () => {
  let stack: LocalStack;
  let clients: ReturnType<typeof clientsFor>;
  let trigger: LocalTrigger | undefined;
  let concurrentMax = 0;

  const launcherWith = (env: Record<string, string>): LaunchProcessor => {
    const launch = processorLauncher({
      command: [process.execPath, '--conditions=development', fakeProcessor],
      env: { ...process.env, ...stack.serviceEnv(), FAKE_IDLE_MS: '800', ...env },
    });
    return (runId, reason) => {
      const run = launch(runId, reason);
      concurrentMax = Math.max(concurrentMax, (trigger?.runningCount() ?? 0) + 1);
      return run;
    };
  };

  const startTrigger = (launch: LaunchProcessor, maxProcessors = 1, startupFailureSeconds = 0) => {
    trigger = startLocalTrigger({
      sqs: clients.sqs,
      queueUrl: stack.resources.jobsQueueUrl,
      launch,
      logger: silent,
      pollIntervalMs: 150,
      maxProcessors,
      backlogPerProcessor: 5,
      startupFailureSeconds,
    });
    return trigger;
  };

  beforeEach(async () => {
    stack = await startLocalStack({ port: 0, queue: { visibilityTimeoutSeconds: 2 } });
    clients = clientsFor(stack);
    concurrentMax = 0;
  });

  afterEach(async () => {
    await trigger?.stop();
    trigger = undefined;
    clients.destroy();
    await stack.stop();
  });

  it('starts one processor on the empty to non-empty edge, lets it exit when idle, and starts again on the next burst', async () => {
    const running = startTrigger(launcherWith({}));
    await sendMessages(clients, stack.resources.jobsQueueUrl, 12);
    await eventually(() => running.completedRuns.length === 1);
    expect(running.completedRuns[0]).toMatchObject({ exitCode: 0, imagesProcessed: 12 });
    expect(running.completedRuns[0]?.reason).toMatch(/went from empty/);
    expect(concurrentMax).toBe(1);

    await sendMessages(clients, stack.resources.jobsQueueUrl, 3);
    await eventually(() => running.completedRuns.length === 2);
    expect(running.completedRuns[1]).toMatchObject({ exitCode: 0, imagesProcessed: 3 });
    expect(await readQueueDepth(clients.sqs, stack.resources.jobsQueueUrl)).toEqual({
      visible: 0,
      inFlight: 0,
    });
  });

  it('starts another processor when one crashes while messages remain (the backstop)', async () => {
    let launches = 0;
    // Four messages of 400 ms each: the crash comes well after the 1 s start-up window.
    const crashing = launcherWith({ FAKE_CRASH_AFTER: '4', FAKE_WORK_MS: '400' });
    const healthy = launcherWith({});
    const running = startTrigger(
      (runId, reason) => {
        launches += 1;
        return launches === 1 ? crashing(runId, reason) : healthy(runId, reason);
      },
      1,
      1,
    );
    await sendMessages(clients, stack.resources.jobsQueueUrl, 10);
    await eventually(async () => {
      const depth = await readQueueDepth(clients.sqs, stack.resources.jobsQueueUrl);
      return (
        depth.visible + depth.inFlight === 0 &&
        running.runningCount() === 0 &&
        running.completedRuns.length >= 2
      );
    });
    expect(running.completedRuns[0]?.exitCode).toBe(1);
    expect(running.completedRuns[1]?.reason).toMatch(
      /^backstop: run 1 exited with code 1 while \d+ message\(s\) remain$/,
    );
    const processed = running.completedRuns.reduce((sum, run) => sum + (run.imagesProcessed ?? 0), 0);
    expect(processed).toBe(6);
  });

  it('does not restart a processor that fails at start, as the AWS backstop does not, and leaves the messages queued', async () => {
    const running = startTrigger(launcherWith({ FAKE_EXIT_AT_START: '2' }), 1, 30);
    await sendMessages(clients, stack.resources.jobsQueueUrl, 3);
    await eventually(() => running.completedRuns.length === 1);
    expect(running.completedRuns[0]).toMatchObject({ exitCode: 2 });
    // A dozen polls later: still one run, nothing running, the messages untouched.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(running.completedRuns).toHaveLength(1);
    expect(running.runningCount()).toBe(0);
    expect(await readQueueDepth(clients.sqs, stack.resources.jobsQueueUrl)).toEqual({
      visible: 3,
      inFlight: 0,
    });
  });

  it('scales out for a backlog but never beyond the configured number of processors', async () => {
    const running = startTrigger(launcherWith({ FAKE_WORK_MS: '150' }), 2);
    await sendMessages(clients, stack.resources.jobsQueueUrl, 40);
    await eventually(async () => {
      const depth = await readQueueDepth(clients.sqs, stack.resources.jobsQueueUrl);
      return depth.visible + depth.inFlight === 0 && running.runningCount() === 0;
    }, 60_000);
    expect(concurrentMax).toBe(2);
    const processed = running.completedRuns.reduce((sum, run) => sum + (run.imagesProcessed ?? 0), 0);
    expect(processed).toBe(40);
  });

  it('starts at one poll the processors the shared decision asks for: 600 waiting messages, at most 3, 100 per processor', async () => {
    // Prepare: the backlog exists before the trigger's first (and, with a one-minute interval, only) poll.
    await sendMessages(clients, stack.resources.jobsQueueUrl, 600);
    const launched: string[] = [];
    const launch = launcherWith({ FAKE_WORK_MS: '20' });

    // Act
    trigger = startLocalTrigger({
      sqs: clients.sqs,
      queueUrl: stack.resources.jobsQueueUrl,
      launch: (runId, reason) => {
        launched.push(reason);
        return launch(runId, reason);
      },
      logger: silent,
      pollIntervalMs: 60_000,
      maxProcessors: 3,
      backlogPerProcessor: 100,
      startupFailureSeconds: 0,
    });
    await eventually(() => launched.length === 3);

    // Assess
    expect(trigger.runningRuns().map((run) => run.runId)).toEqual([1, 2, 3]);
    expect(launched[0]).toBe('queue went from empty to 600 visible message(s)');
    expect(concurrentMax).toBe(3);
  });
});

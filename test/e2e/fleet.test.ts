import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { uploadFiles } from '@photo-pipeline/client';
import { describeStartedPipeline, startStateRecorder } from '@photo-pipeline/local-stack';
import { createLogger } from '@photo-pipeline/shared/log';
import { runNodeEntry } from '@photo-pipeline/test-support/run-node-entry';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.ts';
import { batchRows, startTestPipeline, type TestPipeline } from '../support/pipeline.ts';
import { writeImageFiles } from '../support/sample-files.ts';

const statusCli = fileURLToPath(
  new URL('../../packages/local-stack/src/status/status-cli.ts', import.meta.url),
);

interface TriggerEvent {
  readonly msg: string;
  readonly runId: number;
}

/** The most processors running at once, replayed from the trigger's own started/finished events. */
function mostConcurrent(events: readonly TriggerEvent[]): number {
  let running = 0;
  let most = 0;
  for (const event of events) {
    if (event.msg === 'processor started') running += 1;
    if (event.msg === 'processor finished') running -= 1;
    most = Math.max(most, running);
  }
  return most;
}

describe('the local fleet: MAX_PROCESSOR_TASKS=3 and a backlog of 600 images', () => {
  let test: TestPipeline;
  let folder: string | undefined;
  const events: TriggerEvent[] = [];
  let seenRunning = 0;
  const stateFolder = mkdtempSync(join(tmpdir(), 'fleet-state-'));
  const stateFile = join(stateFolder, 'start-state.json');
  const trigger = { maxProcessors: 3, backlogPerProcessor: 20 };

  beforeAll(async () => {
    const triggerLogger = createLogger({
      service: 'e2e-trigger',
      level: 'info',
      destination: {
        write: (line: string) => {
          const { msg, runId } = JSON.parse(line) as TriggerEvent;
          if (msg === 'processor started' || msg === 'processor finished') events.push({ msg, runId });
        },
      },
    });
    // BACKLOG_PER_TASK 20: three processors are due as soon as 41 messages wait, well below 600.
    // The state file `pnpm start` publishes, so `npm run status` can be asked while the fleet runs.
    const state = startStateRecorder(stateFile);
    test = await startTestPipeline({ trigger, triggerLogger, wrapLaunch: state.recording });
    state.publish(describeStartedPipeline(test.pipeline, { dataDir: null, logsDir: stateFolder, trigger }));
  });

  afterAll(async () => {
    await test?.stop();
    if (folder) rmSync(folder, { recursive: true, force: true });
    rmSync(stateFolder, { recursive: true, force: true });
  });

  it('runs three processors, never more than three, shows them in npm run status, and turns the 600 uploads into 600 distinct rows', async () => {
    // Prepare
    const files = await writeImageFiles(600, 0, 'fleet');
    folder = files.dir;
    const watch = setInterval(() => {
      seenRunning = Math.max(seenRunning, test.pipeline.trigger.runningRuns().length);
    }, 50);

    // `npm run status` (the CLI, as a user runs it) asked again and again until it shows three processors.
    let statusLine = '';
    let statusDone = false;
    const watchStatus = (async () => {
      while (!statusDone && !/^processors +3 running/m.test(statusLine)) {
        const run = await runNodeEntry(statusCli, [], {
          env: { PATH: process.env.PATH ?? '', START_STATE_FILE: stateFile },
          timeoutMs: 60_000,
        });
        statusLine = run.stdout.split('\n').find((line) => line.startsWith('processors')) ?? '';
      }
    })();

    // Act
    const summary = await uploadFiles({
      paths: [files.dir],
      endpoint: test.pipeline.api.url,
      concurrency: 16,
    });
    await eventually(
      '600 result rows',
      async () => (await batchRows(test, summary.batchId)).length === 600,
      240_000,
    );
    await eventually('every processor exited when idle', () => test.pipeline.trigger.runningCount() === 0);
    clearInterval(watch);
    statusDone = true;
    await watchStatus;

    // Assess
    expect(summary.uploaded).toBe(600);
    expect(mostConcurrent(events)).toBe(3);
    expect(seenRunning).toBeLessThanOrEqual(3);
    expect(statusLine).toMatch(/^processors +3 running \(at most 3, one per 20 waiting\): run \d+ \(pid \d+/);
    const rows = await batchRows(test, summary.batchId);
    expect(new Set(rows.map((row) => row.imageId)).size).toBe(600);
    expect(rows.every((row) => row.status === 'SUCCEEDED')).toBe(true);
  }, 300_000);
});

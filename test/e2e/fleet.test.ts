import { rmSync } from 'node:fs';
import { uploadFiles } from '@photo-pipeline/client';
import { createLogger } from '@photo-pipeline/shared/log';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.ts';
import { batchRows, startTestPipeline, type TestPipeline } from '../support/pipeline.ts';
import { writeImageFiles } from '../support/sample-files.ts';

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
    test = await startTestPipeline({ trigger: { maxProcessors: 3, backlogPerProcessor: 20 }, triggerLogger });
  });

  afterAll(async () => {
    await test?.stop();
    if (folder) rmSync(folder, { recursive: true, force: true });
  });

  it('runs three processors, never more than three, and turns the 600 uploads into 600 distinct rows', async () => {
    // Prepare
    const files = await writeImageFiles(600, 0, 'fleet');
    folder = files.dir;
    const watch = setInterval(() => {
      seenRunning = Math.max(seenRunning, test.pipeline.trigger.runningRuns().length);
    }, 50);

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

    // Assess
    expect(summary.uploaded).toBe(600);
    expect(mostConcurrent(events)).toBe(3);
    expect(seenRunning).toBeLessThanOrEqual(3);
    const rows = await batchRows(test, summary.batchId);
    expect(new Set(rows.map((row) => row.imageId)).size).toBe(600);
    expect(rows.every((row) => row.status === 'SUCCEEDED')).toBe(true);
  }, 300_000);
});

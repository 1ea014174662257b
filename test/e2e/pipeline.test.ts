import { rmSync } from 'node:fs';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { uploadFiles } from '@photo-pipeline/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.ts';
import { batchRows, startTestPipeline, type TestPipeline } from '../support/pipeline.ts';
import { writeImageFiles } from '../support/sample-files.ts';

async function processedObjectCount(test: TestPipeline): Promise<number> {
  let count = 0;
  let token: string | undefined;
  do {
    const page = await test.clients.s3.send(
      new ListObjectsV2Command({
        Bucket: test.pipeline.serviceEnv.PROCESSED_BUCKET,
        Prefix: 'processed/',
        ContinuationToken: token,
      }),
    );
    count += page.KeyCount ?? 0;
    token = page.NextContinuationToken;
  } while (token);
  return count;
}

describe('the local pipeline end to end (client -> API -> SQS -> trigger -> processor -> DynamoDB)', () => {
  let test: TestPipeline;
  const folders: string[] = [];

  beforeAll(async () => {
    test = await startTestPipeline();
  });

  afterAll(async () => {
    await test?.stop();
    for (const dir of folders) rmSync(dir, { recursive: true, force: true });
  });

  it('turns 200 uploads at concurrency 16 into 200 rows, started by the empty -> non-empty edge; a second burst triggers again', async () => {
    const files = await writeImageFiles(180, 20);
    folders.push(files.dir);

    const summary = await uploadFiles({
      paths: [files.dir],
      endpoint: test.pipeline.api.url,
      concurrency: 16,
    });
    expect(summary.uploaded).toBe(200);
    expect(summary.failed).toBe(0);

    await eventually('200 result rows', async () => (await batchRows(test, summary.batchId)).length === 200);
    await eventually('every processor exited when idle', () => test.pipeline.trigger.runningCount() === 0);

    const rows = await batchRows(test, summary.batchId);
    const byName = new Map(rows.map((row) => [row.originalName, row]));
    expect(byName.size).toBe(200);
    for (const [name, expected] of files.expected) {
      const row = byName.get(name);
      expect(row?.status, name).toBe(expected.status);
      if (expected.status === 'SUCCEEDED' && row?.status === 'SUCCEEDED') {
        expect([row.width, row.height, row.areaPx]).toEqual([
          expected.width,
          expected.height,
          expected.width * expected.height,
        ]);
        expect(row.executionProvider).toBe('cpu');
      }
      if (expected.status === 'FAILED' && row?.status === 'FAILED')
        expect(row.errorCode).toBe(expected.errorCode);
    }
    // Rows come back in upload order through the batch index (image ids are ULIDs).
    const ids = rows.map((row) => row.imageId);
    expect([...ids].sort()).toEqual(ids);
    expect(await processedObjectCount(test)).toBe(180);

    const firstRuns = [...test.pipeline.trigger.completedRuns].sort((a, b) => a.runId - b.runId);
    expect(firstRuns[0]?.reason).toMatch(/went from empty/);
    expect(firstRuns.every((run) => run.exitCode === 0)).toBe(true);
    expect(
      firstRuns.reduce((sum, run) => sum + (run.imagesProcessed ?? 0) + (run.imagesFailed ?? 0), 0),
    ).toBe(200);

    const burst = await writeImageFiles(5, 0, 'second');
    folders.push(burst.dir);
    const second = await uploadFiles({ paths: [burst.dir], endpoint: test.pipeline.api.url, concurrency: 4 });
    await eventually(
      'the second burst processed',
      async () => (await batchRows(test, second.batchId)).length === 5,
    );
    await eventually('the second run exited', () => test.pipeline.trigger.runningCount() === 0);
    const newRuns = test.pipeline.trigger.completedRuns
      .filter((run) => run.runId > Math.max(...firstRuns.map((first) => first.runId)))
      .sort((a, b) => a.runId - b.runId);
    expect(newRuns.length).toBeGreaterThanOrEqual(1);
    expect(newRuns[0]?.reason).toMatch(/went from empty/);
  });
});

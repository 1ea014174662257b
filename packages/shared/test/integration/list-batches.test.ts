import { PutObjectCommand } from '@aws-sdk/client-s3';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// Relative imports, not devDependencies: local-stack and test-support depend on shared, and a
// workspace cycle would make pnpm's build order ambiguous.
import { type LocalStack, startLocalStack } from '../../../local-stack/src/index.ts';
import { putRowsInto, rowFor } from '../../../test-support/src/result-rows.ts';
import { type AwsClients, createAwsClients } from '../../src/aws/index.ts';
import { awsEnvSchema, loadConfig } from '../../src/config/index.ts';
import { newImageId } from '../../src/contracts/index.ts';
import {
  type BatchList,
  createResultsStore,
  findLatestReport,
  type ResultsStore,
} from '../../src/results-store/index.ts';

const now = new Date('2026-05-10T12:00:00.000Z');
const minutes = (n: number) => new Date(now.getTime() - n * 60_000);

describe('listing batches and finding the latest report (against the embedded local stack)', () => {
  let stack: LocalStack;
  let clients: AwsClients;
  let store: ResultsStore;

  beforeAll(async () => {
    stack = await startLocalStack({ port: 0 });
    clients = createAwsClients(loadConfig(awsEnvSchema, stack.serviceEnv()), { maxAttempts: 1 });
    store = createResultsStore(clients, {
      RESULTS_TABLE: stack.resources.names.resultsTable,
      UPLOADS_BUCKET: stack.resources.names.uploadsBucket,
    });
    // Prepare: "old" three days ago, then "middle" and "newest" today, interleaved with each other;
    // "stale" ten days ago, outside the default 7-day look-back.
    const at = (date: Date, offsetMs = 0) => newImageId(date.getTime() + offsetMs);
    await putRowsInto(clients, stack.resources.names.resultsTable, [
      rowFor(at(minutes(10 * 24 * 60)), 'stale', minutes(10 * 24 * 60), 'SUCCEEDED'),
      rowFor(at(minutes(3 * 24 * 60)), 'old', minutes(3 * 24 * 60), 'SUCCEEDED'),
      rowFor(at(minutes(3 * 24 * 60), 1), 'old', minutes(3 * 24 * 60), 'FAILED'),
      rowFor(at(minutes(30)), 'middle', minutes(30), 'SUCCEEDED'),
      rowFor(at(minutes(20)), 'newest', minutes(20), 'FAILED'),
      rowFor(at(minutes(15)), 'middle', minutes(15), 'SUCCEEDED'),
      rowFor(at(minutes(5)), 'newest', minutes(5), 'SUCCEEDED'),
      rowFor(at(minutes(4)), 'newest', minutes(4), 'SUCCEEDED'),
    ]);
  });

  afterAll(async () => {
    clients?.destroy();
    await stack?.stop();
  });

  const lastWeek = { since: minutes(7 * 24 * 60), until: now, limit: 10 };
  const batchIds = (list: BatchList) => list.batches.map((batch) => batch.batchId);

  it('lists the batches with the newest uploads first, each counted by status with its first and last upload', async () => {
    const list = await store.listBatches(lastWeek);

    expect(list).toEqual({
      batches: [
        {
          batchId: 'newest',
          counts: { total: 3, SUCCEEDED: 2, FAILED: 1 },
          firstUploadedAt: minutes(20).toISOString(),
          lastUploadedAt: minutes(4).toISOString(),
          lastProcessedAt: expect.any(String),
        },
        {
          batchId: 'middle',
          counts: { total: 2, SUCCEEDED: 2, FAILED: 0 },
          firstUploadedAt: minutes(30).toISOString(),
          lastUploadedAt: minutes(15).toISOString(),
          lastProcessedAt: expect.any(String),
        },
        expect.objectContaining({ batchId: 'old', counts: { total: 2, SUCCEEDED: 1, FAILED: 1 } }),
      ],
      more: false,
    });
  });

  it('stops at the limit, and looks back only as far as asked', async () => {
    expect(await store.listBatches({ ...lastWeek, limit: 1 })).toMatchObject({ more: true });
    expect(batchIds(await store.listBatches({ ...lastWeek, limit: 1 }))).toEqual(['newest']);
    expect(batchIds(await store.listBatches({ ...lastWeek, since: minutes(60 * 24 * 30) }))).toEqual([
      'newest',
      'middle',
      'old',
      'stale',
    ]);
    expect(batchIds(await store.listBatches({ ...lastWeek, since: minutes(2), until: minutes(1) }))).toEqual(
      [],
    );
  });

  it('stops looking after maxRowsScanned rows, and still counts each batch it found whole', async () => {
    const list = await store.listBatches({ ...lastWeek, maxRowsScanned: 1 });

    expect(list.batches).toEqual([
      expect.objectContaining({ batchId: 'newest', counts: { total: 3, SUCCEEDED: 2, FAILED: 1 } }),
    ]);
  });

  it('refuses a limit out of range and a row that breaks the contract, by code', async () => {
    await expect(store.listBatches({ ...lastWeek, limit: 0 })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    await clients.documents.send(
      new PutCommand({
        TableName: stack.resources.names.resultsTable,
        Item: { imageId: newImageId(now.getTime() + 1), batchId: 'bad batch!', uploadDay: '2026-05-10' },
      }),
    );
    await expect(
      store.listBatches({ ...lastWeek, until: new Date(now.getTime() + 60_000) }),
    ).rejects.toMatchObject({ code: 'RESULT_ROW_INVALID' });
  });

  it('finds the report whose HTML page was written last, and nothing where there is none', async () => {
    const bucket = stack.resources.names.processedBucket;
    expect(await findLatestReport(clients.s3, { bucket, prefix: 'reports/' })).toBeUndefined();
    const put = (key: string) =>
      clients.s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: key }));
    await put('reports/batch-b/20260510T110000Z/report.html');
    await put('reports/batch-b/20260510T110000Z/summary.json');
    // S3 keeps LastModified to the second: the second report is written a second later.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await put('reports/batch-a/20260510T115900Z/report.html');
    await put('reports/batch-a/20260510T115900Z/images.csv');

    const latest = await findLatestReport(clients.s3, { bucket, prefix: 'reports' });

    expect(latest).toMatchObject({
      bucket,
      htmlKey: 'reports/batch-a/20260510T115900Z/report.html',
      name: 'batch-a/20260510T115900Z',
    });
  });
});

import { PutObjectCommand } from '@aws-sdk/client-s3';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// Relative imports, not devDependencies: local-stack and test-support depend on shared, and a
// workspace cycle would make pnpm's build order ambiguous.
import { type LocalStack, startLocalStack } from '../../../local-stack/src/index.ts';
import { putRowsInto, rowFor } from '../../../test-support/src/result-rows.ts';
import { type AwsClients, createAwsClients } from '../../src/aws/index.ts';
import { awsEnvSchema, loadConfig } from '../../src/config/index.ts';
import { type ImageId, newImageId, type ResultRow } from '../../src/contracts/index.ts';
import { AppError } from '../../src/errors/index.ts';
import { createResultsStore, type ResultPage, type ResultsStore } from '../../src/results-store/index.ts';

async function collect(pages: AsyncGenerator<ResultPage>): Promise<ResultPage[]> {
  const all: ResultPage[] = [];
  for await (const page of pages) all.push(page);
  return all;
}

describe('results store (against the embedded local stack)', () => {
  let stack: LocalStack;
  let clients: AwsClients;
  let store: ResultsStore;
  let table: string;

  const putRows = (rows: readonly ResultRow[]) => putRowsInto(clients, table, rows);

  async function putOriginal(imageId: ImageId): Promise<void> {
    await clients.s3.send(
      new PutObjectCommand({
        Bucket: stack.resources.names.uploadsBucket,
        Key: `originals/${imageId}`,
        Body: 'x',
      }),
    );
  }

  beforeAll(async () => {
    stack = await startLocalStack({ port: 0 });
    clients = createAwsClients(loadConfig(awsEnvSchema, stack.serviceEnv()), { maxAttempts: 1 });
    table = stack.resources.names.resultsTable;
    store = createResultsStore(clients, {
      RESULTS_TABLE: table,
      UPLOADS_BUCKET: stack.resources.names.uploadsBucket,
    });
  });

  afterAll(async () => {
    clients?.destroy();
    await stack?.stop();
  });

  it('tells SUCCEEDED, FAILED, PENDING and UNKNOWN apart, in the order asked', async () => {
    const at = new Date('2026-03-01T10:00:00.000Z');
    const [succeeded, failed, pending, unknown] = [0, 1, 2, 3].map((i) => newImageId(at.getTime() + i)) as [
      ImageId,
      ImageId,
      ImageId,
      ImageId,
    ];
    await putRows([
      rowFor(succeeded, 'status-batch', at, 'SUCCEEDED'),
      rowFor(failed, 'status-batch', at, 'FAILED'),
    ]);
    await putOriginal(pending);

    const entries = await store.getImageStatuses([unknown, pending, failed, succeeded, failed]);

    expect(entries.map((entry) => [entry.imageId, entry.status])).toEqual([
      [unknown, 'UNKNOWN'],
      [pending, 'PENDING'],
      [failed, 'FAILED'],
      [succeeded, 'SUCCEEDED'],
      [failed, 'FAILED'],
    ]);
    const failedEntry = entries[2];
    expect(failedEntry?.status === 'FAILED' && failedEntry.row.errorCode).toBe('IMAGE_CORRUPT');
    const succeededEntry = entries[3];
    expect(succeededEntry?.status === 'SUCCEEDED' && succeededEntry.row.areaPx).toBe(12);
  });

  it('reads more ids than one BatchGetItem call takes (chunks of 100)', async () => {
    const at = new Date('2026-03-02T10:00:00.000Z');
    const ids = Array.from({ length: 130 }, (_, i) => newImageId(at.getTime() + i));
    await putRows(ids.slice(0, 115).map((id) => rowFor(id, 'chunk-batch', at, 'SUCCEEDED')));

    const entries = await store.getImageStatuses(ids);

    expect(entries).toHaveLength(130);
    expect(entries.filter((entry) => entry.status === 'SUCCEEDED')).toHaveLength(115);
    expect(entries.slice(115).every((entry) => entry.status === 'UNKNOWN')).toBe(true);
  });

  it('lists a batch in upload order across pages of the batch index', async () => {
    const at = new Date('2026-03-03T10:00:00.000Z');
    const ids = Array.from({ length: 7 }, (_, i) => newImageId(at.getTime() + i * 1000));
    // Written out of order, with another batch's row in between: the index gives upload order.
    await putRows(
      [...ids]
        .reverse()
        .map((id, i) => rowFor(id, 'paged-batch', at, i % 2 === 0 ? 'SUCCEEDED' : 'FAILED'))
        .concat(rowFor(newImageId(at.getTime() + 2500), 'other-batch', at, 'SUCCEEDED')),
    );

    const pages = await collect(store.batchPages('paged-batch', { pageSize: 3 }));

    expect(pages.map((page) => page.rows.length)).toEqual([3, 3, 1]);
    expect(pages.flatMap((page) => page.rows.map((row) => row.imageId))).toEqual(ids);
    expect(pages.at(-1)?.nextCursor).toBeUndefined();
    const second = await store.listBatch('paged-batch', { pageSize: 3, cursor: pages[0]?.nextCursor });
    expect(second.rows.map((row) => row.imageId)).toEqual(ids.slice(3, 6));
  });

  it('answers an unknown batch with an empty last page', async () => {
    const page = await store.listBatch('no-such-batch');
    expect(page).toEqual({ rows: [], nextCursor: undefined });
  });

  it('lists by upload time across days, newest first, with status filter and cursor', async () => {
    const day1 = new Date('2026-04-10T23:59:00.000Z');
    const day2 = new Date('2026-04-11T00:01:00.000Z');
    const before = newImageId(Date.parse('2026-04-10T12:00:00.000Z'));
    const a = newImageId(day1.getTime());
    const b = newImageId(day1.getTime() + 1000);
    const c = newImageId(day2.getTime());
    const d = newImageId(day2.getTime() + 1000);
    await putRows([
      rowFor(before, 'range-batch', new Date('2026-04-10T12:00:00.000Z'), 'SUCCEEDED'),
      rowFor(a, 'range-batch', day1, 'SUCCEEDED'),
      rowFor(b, 'range-batch', new Date(day1.getTime() + 1000), 'FAILED'),
      rowFor(c, 'range-batch', day2, 'SUCCEEDED'),
      rowFor(d, 'range-batch', new Date(day2.getTime() + 1000), 'FAILED'),
    ]);
    const range = {
      since: new Date('2026-04-10T23:00:00.000Z'),
      until: new Date('2026-04-11T01:00:00.000Z'),
    };

    const newest = await collect(store.uploadedBetweenPages({ ...range, pageSize: 3 }));
    expect(newest.flatMap((page) => page.rows.map((row) => row.imageId))).toEqual([d, c, b, a]);

    const oldest = await store.listUploadedBetween({ ...range, order: 'oldest', pageSize: 2 });
    expect(oldest.rows.map((row) => row.imageId)).toEqual([a, b]);
    const next = await store.listUploadedBetween({
      ...range,
      order: 'oldest',
      pageSize: 2,
      cursor: oldest.nextCursor,
    });
    expect(next.rows.map((row) => row.imageId)).toEqual([c, d]);

    const failedOnly = await collect(store.uploadedBetweenPages({ ...range, status: 'FAILED', pageSize: 1 }));
    expect(failedOnly.flatMap((page) => page.rows.map((row) => row.imageId))).toEqual([d, b]);

    const oneDay = await store.listByUploadDay('2026-04-10', { order: 'oldest' });
    expect(oneDay.rows.map((row) => row.imageId)).toEqual([before, a, b]);
  });

  it('refuses a row that breaks the contract with RESULT_ROW_INVALID', async () => {
    const id = newImageId(Date.parse('2026-05-01T00:00:00.000Z'));
    await clients.documents.send(
      new PutCommand({ TableName: table, Item: { imageId: id, batchId: 'bad-batch', status: 'SUCCEEDED' } }),
    );

    const failure = await store.getImageStatuses([id]).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(AppError);
    expect((failure as AppError).code).toBe('RESULT_ROW_INVALID');
    expect((failure as AppError).message).toContain(id);
  });

  it('reports a missing table as DEPENDENCY_FAILED, not a crash', async () => {
    const broken = createResultsStore(clients, {
      RESULTS_TABLE: 'no-such-table',
      UPLOADS_BUCKET: 'x-bucket',
    });

    const failure = await broken.listBatch('any').catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(AppError);
    expect((failure as AppError).code).toBe('DEPENDENCY_FAILED');
    expect((failure as AppError).message).toContain('no-such-table');
  });

  it('rejects a cursor it did not make', async () => {
    const failure = await store
      .listBatch('paged-batch', { cursor: 'not-a-cursor' })
      .catch((error: unknown) => error);
    expect((failure as AppError).code).toBe('INVALID_ARGUMENT');
  });
  it('lists the batches with uploads in a time range, latest first, each counted whole by status', async () => {
    // Prepare: batch A has an upload before the range; D only at its start; C is the latest.
    const at = (day: number, hour = 12) => new Date(Date.UTC(2026, 6, day, hour));
    const uploads: [string, Date, 'SUCCEEDED' | 'FAILED'][] = [
      ['batches-a', at(8), 'SUCCEEDED'],
      ['batches-d', at(9), 'FAILED'],
      ['batches-a', at(10, 9), 'SUCCEEDED'],
      ['batches-a', at(10, 10), 'FAILED'],
      ['batches-a', at(10, 11), 'SUCCEEDED'],
      ['batches-b', at(11), 'SUCCEEDED'],
      ['batches-b', at(11, 13), 'SUCCEEDED'],
      ['batches-c', at(12), 'FAILED'],
    ];
    await putRows(
      uploads.map(([batchId, uploadedAt, status]) =>
        rowFor(newImageId(uploadedAt.getTime()), batchId, uploadedAt, status),
      ),
    );
    const range = { since: at(9, 0), until: at(13, 0) };

    // Act
    const latestTwo = await store.listBatches({ ...range, limit: 2 });
    const all = await store.listBatches({ ...range, limit: 10 });

    // Assess
    expect(latestTwo.batches.map((batch) => batch.batchId)).toEqual(['batches-c', 'batches-b']);
    expect(latestTwo.more).toBe(true);
    expect(all.more).toBe(false);
    expect(all.batches.map((batch) => [batch.batchId, batch.counts])).toEqual([
      ['batches-c', { total: 1, SUCCEEDED: 0, FAILED: 1 }],
      ['batches-b', { total: 2, SUCCEEDED: 2, FAILED: 0 }],
      ['batches-a', { total: 4, SUCCEEDED: 3, FAILED: 1 }],
      ['batches-d', { total: 1, SUCCEEDED: 0, FAILED: 1 }],
    ]);
    expect(all.batches[2]).toMatchObject({
      firstUploadedAt: at(8).toISOString(),
      lastUploadedAt: at(10, 11).toISOString(),
      lastProcessedAt: new Date(at(10, 11).getTime() + 500).toISOString(),
    });
  });
});

import { PassThrough } from 'node:stream';
import { HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { PurgeQueueCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { isMissingObject } from '@photo-pipeline/shared/aws';
import {
  type IdempotencyMarker,
  type ImageId,
  idempotencyMarkerSchema,
  idempotencyPrefix,
  objectKeys,
} from '@photo-pipeline/shared/contracts';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runResultsCli } from '../../src/entry/program.ts';
import { createResultsDeps } from '../../src/entry/results-deps.ts';
import { type ResultsFixture, startResultsFixture } from '../support/results-fixture.ts';

let fixture: ResultsFixture;
beforeAll(async () => {
  fixture = await startResultsFixture();
});
afterAll(async () => {
  await fixture?.stop();
});
beforeEach(async () => {
  await fixture.deps.clients.sqs.send(new PurgeQueueCommand({ QueueUrl: jobsQueueUrl() }));
});

const jobsQueueUrl = () => fixture.env.JOBS_QUEUE_URL ?? '';

interface SweepJson {
  checked: number;
  queuedMessages: number;
  orphans: { imageId: string; state: string }[];
}

/** Runs `results sweep-orphans` in this process with its own clients, as the CLI would. */
async function sweep(args: readonly string[]) {
  let stdout = '';
  let stderr = '';
  const stderrStream = new PassThrough();
  stderrStream.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exitCode = await runResultsCli(
    ['sweep-orphans', '--json', ...args],
    {
      stdout: { write: (text: string) => (stdout += text) },
      stderr: stderrStream,
      now: () => new Date(),
    },
    () => createResultsDeps(fixture.config),
  );
  return { exitCode, stderr, body: JSON.parse(stdout) as SweepJson };
}

async function originalExists(imageId: ImageId): Promise<boolean> {
  try {
    await fixture.deps.clients.s3.send(
      new HeadObjectCommand({ Bucket: fixture.config.UPLOADS_BUCKET, Key: objectKeys.original(imageId) }),
    );
    return true;
  } catch (error) {
    if (isMissingObject(error)) return false;
    throw error;
  }
}

/** An Idempotency-Key marker left `unsent` that holds `imageId` for a retry. */
async function storeMarkerHolding(imageId: ImageId): Promise<void> {
  const image = {
    imageId,
    batchId: 'sweep-batch',
    bucket: fixture.config.UPLOADS_BUCKET,
    key: objectKeys.original(imageId),
    contentType: 'image/png' as const,
    bytes: 100,
    sha256: 'a'.repeat(64),
    originalName: 'kept.png',
    uploadedAt: new Date().toISOString(),
  };
  const marker: IdempotencyMarker = idempotencyMarkerSchema.parse({
    version: 1,
    state: 'unsent',
    createdAt: new Date().toISOString(),
    reply: { batchId: image.batchId, images: [{ ...image, width: 8, height: 8 }] },
    messages: [{ type: 'ImageUploaded', version: 1, ...image }],
  });
  await fixture.deps.clients.s3.send(
    new PutObjectCommand({
      Bucket: fixture.config.UPLOADS_BUCKET,
      Key: `${idempotencyPrefix}${imageId}.json`,
      Body: JSON.stringify(marker),
    }),
  );
}

describe('results sweep-orphans', () => {
  it('finds an upload with no message, no row and no marker, keeps every other upload, and deletes it only with --delete', async () => {
    const orphan = await fixture.seedPending();
    const processed = (await fixture.seedImage({ batchId: 'sweep-batch', status: 'SUCCEEDED' })).imageId;
    const heldByMarker = await fixture.seedPending();
    await storeMarkerHolding(heldByMarker);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const cutOff = new Date().toISOString();
    const tooRecent = await fixture.seedPending();

    const report = await sweep(['--older-than', cutOff]);

    expect(report.exitCode).toBe(3);
    expect(report.body.orphans).toEqual([expect.objectContaining({ imageId: orphan, state: 'found' })]);
    expect(await originalExists(orphan)).toBe(true);

    const swept = await sweep(['--older-than', cutOff, '--delete']);

    expect(swept.exitCode).toBe(0);
    expect(swept.body.orphans).toEqual([expect.objectContaining({ imageId: orphan, state: 'deleted' })]);
    expect(await originalExists(orphan)).toBe(false);
    for (const kept of [processed, heldByMarker, tooRecent]) expect(await originalExists(kept)).toBe(true);
    expect((await sweep(['--older-than', cutOff])).body.orphans).toEqual([]);
  });

  it('holds, and never deletes, an upload without a row while messages are queued (one may name it)', async () => {
    const candidate = await fixture.seedPending(new Date(Date.now() - 2_000));
    await fixture.deps.clients.sqs.send(
      new SendMessageCommand({
        QueueUrl: jobsQueueUrl(),
        MessageBody: JSON.stringify({ imageId: candidate }),
      }),
    );

    const swept = await sweep(['--older-than', 'now', '--delete']);

    expect(swept.exitCode).toBe(3);
    expect(swept.body.queuedMessages).toBe(1);
    expect(swept.body.orphans).toContainEqual(expect.objectContaining({ imageId: candidate, state: 'held' }));
    expect(swept.body.orphans.filter((orphan) => orphan.state === 'deleted')).toEqual([]);
    expect(await originalExists(candidate)).toBe(true);
  });
});

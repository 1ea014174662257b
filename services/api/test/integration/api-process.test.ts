import { HeadObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { type LocalStack, localCredentials, startLocalStack } from '@photo-pipeline/local-stack';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiProcess, spawnApi } from '../support/api-process.ts';
import { rawUpload } from '../support/raw-upload.ts';

let stack: LocalStack;
let s3: S3Client;
let sqs: SQSClient;
let api: ApiProcess | undefined;

beforeAll(async () => {
  stack = await startLocalStack({ port: 0 });
  const client = { region: stack.region, endpoint: stack.endpoint, credentials: localCredentials };
  s3 = new S3Client({ ...client, forcePathStyle: true });
  sqs = new SQSClient(client);
});
afterAll(async () => {
  await api?.stop();
  s3?.destroy();
  sqs?.destroy();
  await stack?.stop();
});

const bucket = () => stack.resources.names.uploadsBucket;
const countOriginals = async () =>
  (await s3.send(new ListObjectsV2Command({ Bucket: bucket(), Prefix: 'originals/' }))).KeyCount ?? 0;
const countMessages = async () => {
  const reply = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: stack.resources.jobsQueueUrl,
      AttributeNames: ['ApproximateNumberOfMessages'],
    }),
  );
  return Number(reply.Attributes?.ApproximateNumberOfMessages ?? 0);
};

/**
 * Starts `count` paced uploads of 3 MB each (about 2 s each) and returns once they are in flight, with the
 * originals and messages counted before them.
 */
async function uploadsInFlight(target: ApiProcess, count: number) {
  const objectsBefore = await countOriginals();
  const messagesBefore = await countMessages();
  const uploads = Array.from({ length: count }, () =>
    rawUpload(target.url, { fileBytes: 3 * 1024 * 1024, chunkDelayMs: 40 }),
  );
  await new Promise((resolve) => setTimeout(resolve, 600));
  return {
    objectsBefore,
    messagesBefore,
    replies: Promise.allSettled(uploads.map((upload) => upload.reply)),
  };
}

/** How many settled upload replies were 202. */
const acceptedCount = (replies: PromiseSettledResult<{ status: number }>[]) =>
  replies.filter((r) => r.status === 'fulfilled' && r.value.status === 202).length;

describe('the API as its own process', () => {
  it('streams a 200 MB upload with its RSS rising by less than 100 MB', { timeout: 120_000 }, async ({
    annotate,
  }) => {
    // Prepare: a warm process (one upload done) as the baseline.
    api = await spawnApi({ ...stack.serviceEnv(), MAX_UPLOAD_BYTES: String(300 * 1024 * 1024) });
    expect((await rawUpload(api.url, { fileBytes: 10 * 1024 * 1024 }).reply).status).toBe(202);
    const baseline = api.memory().rssBytes;
    const fileBytes = 200 * 1024 * 1024;

    // Act
    const reply = await rawUpload(api.url, { fileBytes }).reply;

    // Assess
    expect(reply.status).toBe(202);
    const key = (JSON.parse(reply.body) as { images: { key: string }[] }).images[0]?.key;
    const stored = await s3.send(new HeadObjectCommand({ Bucket: bucket(), Key: key }));
    expect(stored.ContentLength).toBe(fileBytes);
    const rise = api.memory().peakRssBytes - baseline;
    await annotate(`RSS rise during a 200 MB upload: ${(rise / 1024 / 1024).toFixed(1)} MB`);
    expect(rise).toBeLessThan(100 * 1024 * 1024);
    await api.stop();
    api = undefined;
  });

  it('on SIGTERM refuses new connections, finishes the uploads in flight, and loses none answered 202', {
    timeout: 60_000,
  }, async () => {
    // Prepare: four paced uploads of 3 MB each (about 2 s each) in flight.
    api = await spawnApi(stack.serviceEnv());
    const { objectsBefore, messagesBefore, replies: settled } = await uploadsInFlight(api, 4);

    // Act
    api.child.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 200));
    const late = await fetch(`${api.url}/healthz`).then(
      (response) => response.status,
      () => 'refused',
    );
    const replies = await settled;
    const exitCode = await api.exited;
    api = undefined;

    // Assess
    expect(late === 'refused' || late === 503).toBe(true);
    const accepted = acceptedCount(replies);
    expect(accepted).toBe(4);
    expect(exitCode).toBe(0);
    expect(await countOriginals()).toBe(objectsBefore + accepted);
    expect(await countMessages()).toBe(messagesBefore + accepted);
  });
});

/** The workers named by request log lines of uploads answered 202. */
function workersThatAccepted(lines: readonly string[]): Set<number> {
  const workers = new Set<number>();
  for (const line of lines) {
    if (!line.startsWith('{')) continue;
    const entry = JSON.parse(line) as { worker?: number; statusCode?: number };
    if (entry.statusCode === 202 && typeof entry.worker === 'number') workers.add(entry.worker);
  }
  return workers;
}

describe('the API with API_WORKERS=2 (node:cluster)', () => {
  it('serves uploads from two worker processes on one port, and on SIGTERM answers, stores and queues every one in flight', {
    timeout: 60_000,
  }, async () => {
    // Prepare: two workers; six paced uploads of 3 MB each (about 2 s each) spread over both.
    api = await spawnApi({ ...stack.serviceEnv(), API_WORKERS: '2' });
    await listeningWorkers(api, 2);
    const { objectsBefore, messagesBefore, replies: settled } = await uploadsInFlight(api, 6);

    // Act
    api.child.kill('SIGTERM');
    const replies = await settled;
    const exitCode = await api.exited;
    const lines = api.lines;
    api = undefined;

    // Assess
    const accepted = acceptedCount(replies);
    expect(accepted).toBe(6);
    expect(exitCode).toBe(0);
    expect(await countOriginals()).toBe(objectsBefore + 6);
    expect(await countMessages()).toBe(messagesBefore + 6);
    expect(workersThatAccepted(lines)).toEqual(new Set([1, 2]));
  });
});

/** Resolves once `count` workers have logged that they listen (spawnApi resolves on the first). */
async function listeningWorkers(api: ApiProcess, count: number): Promise<void> {
  const deadline = Date.now() + 20_000;
  const listening = () => api.lines.filter((line) => line.includes('upload API listening on')).length;
  while (listening() < count) {
    if (Date.now() > deadline) throw new Error(`only ${listening()} of ${count} workers listened`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

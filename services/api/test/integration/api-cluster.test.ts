import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
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

const countOriginals = async () =>
  (
    await s3.send(
      new ListObjectsV2Command({ Bucket: stack.resources.names.uploadsBucket, Prefix: 'originals/' }),
    )
  ).KeyCount ?? 0;
const countMessages = async () => {
  const reply = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: stack.resources.jobsQueueUrl,
      AttributeNames: ['ApproximateNumberOfMessages'],
    }),
  );
  return Number(reply.Attributes?.ApproximateNumberOfMessages ?? 0);
};

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
    const objectsBefore = await countOriginals();
    const messagesBefore = await countMessages();
    const uploads = Array.from({ length: 6 }, () =>
      rawUpload(api?.url ?? '', { fileBytes: 3 * 1024 * 1024, chunkDelayMs: 40 }),
    );
    await new Promise((resolve) => setTimeout(resolve, 600));

    // Act
    api.child.kill('SIGTERM');
    const replies = await Promise.allSettled(uploads.map((upload) => upload.reply));
    const exitCode = await api.exited;
    const lines = api.lines;
    api = undefined;

    // Assess
    const accepted = replies.filter((r) => r.status === 'fulfilled' && r.value.status === 202).length;
    expect(accepted).toBe(6);
    expect(exitCode).toBe(0);
    expect(await countOriginals()).toBe(objectsBefore + 6);
    expect(await countMessages()).toBe(messagesBefore + 6);
    expect(workersThatAccepted(lines)).toEqual(new Set([1, 2]));
  });
});

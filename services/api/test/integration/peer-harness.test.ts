import { HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { type LocalStack, localCredentials, startLocalStack } from '@photo-pipeline/local-stack';
import { jpegBytes } from '@photo-pipeline/test-support/image-builders';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findPeerPython, type PeerProcess, spawnPeer } from '../../bench/peer-process.ts';

const peerPython = await findPeerPython();
if (!peerPython.available) console.warn(peerPython.skipped);

describe.skipIf(!peerPython.available)('the benchmark peer (FastAPI + boto3, the seed design)', () => {
  let stack: LocalStack;
  let peer: PeerProcess;
  let s3: S3Client;
  let sqs: SQSClient;

  beforeAll(async () => {
    stack = await startLocalStack({ port: 0 });
    const sdk = { region: stack.region, endpoint: stack.endpoint, credentials: localCredentials };
    s3 = new S3Client({ ...sdk, forcePathStyle: true });
    sqs = new SQSClient(sdk);
    if (peerPython.available) peer = await spawnPeer(peerPython.python, stack.serviceEnv());
  }, 60_000);

  afterAll(async () => {
    await peer?.stop();
    s3?.destroy();
    sqs?.destroy();
    await stack?.stop();
  });

  it('answers 202 to a multipart upload, stores the object and queues one message naming it', async () => {
    // Prepare
    const image = jpegBytes({ width: 64, height: 48, bytes: 20_000 });
    const form = new FormData();
    form.append('file', new Blob([image], { type: 'image/jpeg' }), 'peer.jpg');

    // Act
    const reply = await fetch(`${peer.url}/v1/images`, { method: 'POST', body: form });
    const body = (await reply.json()) as { key: string };

    // Assess
    expect(reply.status).toBe(202);
    const bucket = stack.resources.names.uploadsBucket;
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: body.key }));
    expect(head.ContentLength).toBe(image.length);
    const received = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: stack.resources.jobsQueueUrl, MaxNumberOfMessages: 10 }),
    );
    expect(received.Messages).toHaveLength(1);
    expect(JSON.parse(received.Messages?.[0]?.Body ?? '{}')).toMatchObject({
      key: body.key,
      bucket,
      bytes: image.length,
    });
  });
});

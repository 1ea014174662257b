import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { defaultResourceNames } from '@photo-pipeline/shared/resources';
import { afterEach, describe, expect, it } from 'vitest';
import { startLocalStack } from '../../src/local-stack.ts';
import { clientsFor } from './stack-clients.ts';

describe('persistent local stack', () => {
  const dataDirs: string[] = [];
  afterEach(() => {
    for (const dir of dataDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('keeps objects, queued messages and rows across a stop and start', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'pp-stack-'));
    dataDirs.push(dataDir);

    const first = await startLocalStack({ port: 0, dataDir });
    const firstClients = clientsFor(first);
    await firstClients.s3.send(
      new PutObjectCommand({
        Bucket: defaultResourceNames.uploadsBucket,
        Key: 'originals/kept',
        Body: 'bytes that survive',
      }),
    );
    await firstClients.sqs.send(
      new SendMessageCommand({ QueueUrl: first.resources.jobsQueueUrl, MessageBody: 'queued before stop' }),
    );
    await firstClients.dynamo.send(
      new PutItemCommand({
        TableName: defaultResourceNames.resultsTable,
        Item: { imageId: { S: 'kept-row' }, status: { S: 'SUCCEEDED' } },
      }),
    );
    firstClients.destroy();
    await first.stop();

    const second = await startLocalStack({ port: 0, dataDir });
    const secondClients = clientsFor(second);
    try {
      expect(second.resources.created).toEqual([]);
      const object = await secondClients.s3.send(
        new GetObjectCommand({ Bucket: defaultResourceNames.uploadsBucket, Key: 'originals/kept' }),
      );
      expect(await object.Body?.transformToString()).toBe('bytes that survive');
      const received = await secondClients.sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: second.resources.jobsQueueUrl,
          MaxNumberOfMessages: 10,
          WaitTimeSeconds: 1,
        }),
      );
      expect(received.Messages?.map((m) => m.Body)).toEqual(['queued before stop']);
      const row = await secondClients.dynamo.send(
        new GetItemCommand({
          TableName: defaultResourceNames.resultsTable,
          Key: { imageId: { S: 'kept-row' } },
        }),
      );
      expect(row.Item?.status?.S).toBe('SUCCEEDED');
    } finally {
      secondClients.destroy();
      await second.stop();
    }
  });

  it('keeps nothing when started in memory', async () => {
    const first = await startLocalStack({ port: 0 });
    const firstClients = clientsFor(first);
    await firstClients.sqs.send(
      new SendMessageCommand({ QueueUrl: first.resources.jobsQueueUrl, MessageBody: 'gone' }),
    );
    firstClients.destroy();
    await first.stop();

    const second = await startLocalStack({ port: 0 });
    const secondClients = clientsFor(second);
    try {
      expect(second.resources.created.length).toBeGreaterThan(0);
      const received = await secondClients.sqs.send(
        new ReceiveMessageCommand({ QueueUrl: second.resources.jobsQueueUrl, WaitTimeSeconds: 0 }),
      );
      expect(received.Messages ?? []).toEqual([]);
    } finally {
      secondClients.destroy();
      await second.stop();
    }
  });
});

describe('data folder ownership', () => {
  it('refuses a second stack on a data folder another running stack uses, and frees it on stop', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'pp-stack-lock-'));
    try {
      const first = await startLocalStack({ port: 0, dataDir });
      await expect(startLocalStack({ port: 0, dataDir })).rejects.toMatchObject({
        code: 'STACK_DATA_DIR_IN_USE',
        message: expect.stringContaining(`pid ${process.pid}`),
      });
      await first.stop();
      const again = await startLocalStack({ port: 0, dataDir });
      await again.stop();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

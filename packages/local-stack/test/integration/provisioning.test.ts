import { CreateTableCommand, DeleteTableCommand, DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { GetBucketLocationCommand, ListBucketsCommand } from '@aws-sdk/client-s3';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { defaultResourceNames, jobsQueueDefaults } from '@photo-pipeline/shared/resources';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '../../src/local-stack.ts';
import { clientsFor } from './stack-clients.ts';

describe('local stack provisioning', () => {
  let stack: LocalStack;
  let clients: ReturnType<typeof clientsFor>;

  beforeAll(async () => {
    stack = await startLocalStack({ port: 0, queue: { maxReceiveCount: 3 } });
    clients = clientsFor(stack);
  });

  afterAll(async () => {
    clients.destroy();
    await stack.stop();
  });

  it('serves S3, SQS and DynamoDB on one loopback endpoint', () => {
    expect(stack.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(stack.resources.jobsQueueUrl.startsWith(stack.endpoint)).toBe(true);
  });

  it('creates both buckets', async () => {
    const buckets = (await clients.s3.send(new ListBucketsCommand({}))).Buckets?.map((b) => b.Name);
    expect(buckets).toEqual(
      expect.arrayContaining([defaultResourceNames.uploadsBucket, defaultResourceNames.processedBucket]),
    );
    await expect(
      clients.s3.send(new GetBucketLocationCommand({ Bucket: defaultResourceNames.uploadsBucket })),
    ).resolves.toBeDefined();
  });

  it('creates the jobs queue with a redrive policy to the DLQ after the configured receive count', async () => {
    const attributes = (
      await clients.sqs.send(
        new GetQueueAttributesCommand({ QueueUrl: stack.resources.jobsQueueUrl, AttributeNames: ['All'] }),
      )
    ).Attributes;
    expect(JSON.parse(attributes?.RedrivePolicy ?? '{}')).toMatchObject({
      deadLetterTargetArn: stack.resources.deadLetterQueueArn,
    });
    expect(Number(JSON.parse(attributes?.RedrivePolicy ?? '{}').maxReceiveCount)).toBe(3);
    expect(attributes?.VisibilityTimeout).toBe(String(jobsQueueDefaults.visibilityTimeoutSeconds));
    expect(stack.resources.deadLetterQueueArn).toMatch(/:photo-pipeline-jobs-dlq$/);
  });

  it('creates the results table keyed by imageId with the batch and upload-day indexes', async () => {
    const table = (
      await clients.dynamo.send(new DescribeTableCommand({ TableName: defaultResourceNames.resultsTable }))
    ).Table;
    expect(table?.KeySchema).toEqual([{ AttributeName: 'imageId', KeyType: 'HASH' }]);
    const indexes = Object.fromEntries(
      (table?.GlobalSecondaryIndexes ?? []).map((index) => [
        index.IndexName,
        index.KeySchema?.map((k) => `${k.AttributeName}:${k.KeyType}`),
      ]),
    );
    expect(indexes).toEqual({
      byBatch: ['batchId:HASH', 'imageId:RANGE'],
      byUploadDay: ['uploadDay:HASH', 'imageId:RANGE'],
    });
  });

  it('provisions a second time without changing anything', async () => {
    const before = (
      await clients.sqs.send(
        new GetQueueAttributesCommand({ QueueUrl: stack.resources.jobsQueueUrl, AttributeNames: ['All'] }),
      )
    ).Attributes;
    const again = await stack.provision();
    expect(again.created).toEqual([]);
    expect(again.updated).toEqual([]);
    expect(again.jobsQueueUrl).toBe(stack.resources.jobsQueueUrl);
    const after = (
      await clients.sqs.send(
        new GetQueueAttributesCommand({ QueueUrl: stack.resources.jobsQueueUrl, AttributeNames: ['All'] }),
      )
    ).Attributes;
    expect(after?.RedrivePolicy).toBe(before?.RedrivePolicy);
    expect(after?.VisibilityTimeout).toBe(before?.VisibilityTimeout);
  });

  it('refuses a half-created table with a message that names the missing index', async () => {
    const table = defaultResourceNames.resultsTable;
    await clients.dynamo.send(new DeleteTableCommand({ TableName: table }));
    await clients.dynamo.send(
      new CreateTableCommand({
        TableName: table,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'imageId', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'imageId', KeyType: 'HASH' }],
      }),
    );
    await expect(stack.provision()).rejects.toMatchObject({
      code: 'STACK_PROVISION_FAILED',
      message: expect.stringContaining('byBatch'),
    });
  });
});

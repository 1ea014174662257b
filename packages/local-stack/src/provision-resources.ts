import {
  type AttributeDefinition,
  CreateTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  type GlobalSecondaryIndexDescription,
  ResourceNotFoundException,
  type TableDescription,
} from '@aws-sdk/client-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  QueueDoesNotExist,
  SetQueueAttributesCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { bucketExists, createBucket } from '@photo-pipeline/shared/aws';
import { PermanentError } from '@photo-pipeline/shared/errors';
import { type ResourceNames, resultsTableKeys } from '@photo-pipeline/shared/resources';

export interface QueueSettings {
  readonly visibilityTimeoutSeconds: number;
  readonly maxReceiveCount: number;
  readonly messageRetentionSeconds: number;
  readonly deadLetterRetentionSeconds: number;
}

export interface ProvisionedResources {
  readonly names: ResourceNames;
  readonly jobsQueueUrl: string;
  readonly jobsQueueArn: string;
  readonly deadLetterQueueUrl: string;
  readonly deadLetterQueueArn: string;
  /** What this call created; empty when everything already existed as defined. */
  readonly created: readonly string[];
  /** What this call changed to match the definition (queue attributes). */
  readonly updated: readonly string[];
}

interface Clients {
  readonly s3: S3Client;
  readonly sqs: SQSClient;
  readonly dynamo: DynamoDBClient;
}

/**
 * Creates, idempotently, the pipeline's resources as one definition describes them: both buckets, the
 * jobs queue with its DLQ and redrive policy, and the results table with its indexes. Existing resources
 * that match are left alone; a table with a different shape is refused with a clear message.
 */
export async function provisionResources(
  clients: Clients,
  names: ResourceNames,
  queue: QueueSettings,
): Promise<ProvisionedResources> {
  const created: string[] = [];
  const updated: string[] = [];
  const step = async <T>(what: string, action: () => Promise<T>): Promise<T> => {
    try {
      return await action();
    } catch (cause) {
      if (cause instanceof PermanentError) throw cause;
      throw new PermanentError('STACK_PROVISION_FAILED', `could not provision ${what}: ${String(cause)}`, {
        cause,
      });
    }
  };

  for (const bucket of [names.uploadsBucket, names.processedBucket]) {
    if (await step(`bucket ${bucket}`, () => ensureBucket(clients.s3, bucket)))
      created.push(`bucket:${bucket}`);
  }

  const dlq = await step(`queue ${names.jobsDeadLetterQueue}`, () =>
    ensureQueue(clients.sqs, names.jobsDeadLetterQueue, {
      MessageRetentionPeriod: String(queue.deadLetterRetentionSeconds),
    }),
  );
  if (dlq.created) created.push(`queue:${names.jobsDeadLetterQueue}`);
  if (dlq.updated) updated.push(`queue:${names.jobsDeadLetterQueue}`);

  const jobs = await step(`queue ${names.jobsQueue}`, () =>
    ensureQueue(clients.sqs, names.jobsQueue, {
      VisibilityTimeout: String(queue.visibilityTimeoutSeconds),
      MessageRetentionPeriod: String(queue.messageRetentionSeconds),
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: queue.maxReceiveCount }),
    }),
  );
  if (jobs.created) created.push(`queue:${names.jobsQueue}`);
  if (jobs.updated) updated.push(`queue:${names.jobsQueue}`);

  if (
    await step(`table ${names.resultsTable}`, () => ensureResultsTable(clients.dynamo, names.resultsTable))
  ) {
    created.push(`table:${names.resultsTable}`);
  }

  return {
    names,
    jobsQueueUrl: jobs.url,
    jobsQueueArn: jobs.arn,
    deadLetterQueueUrl: dlq.url,
    deadLetterQueueArn: dlq.arn,
    created,
    updated,
  };
}

async function ensureBucket(s3: S3Client, bucket: string): Promise<boolean> {
  if (await bucketExists(s3, bucket)) return false;
  await createBucket(s3, bucket);
  return true;
}

interface EnsuredQueue {
  readonly url: string;
  readonly arn: string;
  readonly created: boolean;
  readonly updated: boolean;
}

async function ensureQueue(
  sqs: SQSClient,
  name: string,
  attributes: Record<string, string>,
): Promise<EnsuredQueue> {
  let url: string | undefined;
  try {
    url = (await sqs.send(new GetQueueUrlCommand({ QueueName: name }))).QueueUrl;
  } catch (error) {
    if (!(error instanceof QueueDoesNotExist) && (error as Error).name !== 'QueueDoesNotExist') throw error;
  }
  let created = false;
  let updated = false;
  if (!url) {
    url = (await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }))).QueueUrl;
    created = true;
  }
  if (!url) throw new PermanentError('STACK_PROVISION_FAILED', `SQS returned no URL for queue ${name}`);
  const current: Record<string, string | undefined> =
    (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] }))).Attributes ??
    {};
  const drifted = Object.entries(attributes).filter(
    ([key, value]) => !sameAttribute(key, current[key], value),
  );
  if (drifted.length > 0) {
    await sqs.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: Object.fromEntries(drifted) }));
    updated = !created;
  }
  const arn = current.QueueArn;
  if (!arn) throw new PermanentError('STACK_PROVISION_FAILED', `queue ${name} has no QueueArn attribute`);
  return { url, arn, created, updated };
}

function sameAttribute(key: string, actual: string | undefined, wanted: string): boolean {
  if (actual === undefined) return false;
  if (key !== 'RedrivePolicy') return actual === wanted;
  const a = JSON.parse(actual) as { deadLetterTargetArn?: string; maxReceiveCount?: string | number };
  const b = JSON.parse(wanted) as { deadLetterTargetArn?: string; maxReceiveCount?: string | number };
  return (
    a.deadLetterTargetArn === b.deadLetterTargetArn && Number(a.maxReceiveCount) === Number(b.maxReceiveCount)
  );
}

const tableAttributes: AttributeDefinition[] = [
  { AttributeName: resultsTableKeys.partitionKey, AttributeType: 'S' },
  { AttributeName: resultsTableKeys.batchIndex.partitionKey, AttributeType: 'S' },
  { AttributeName: resultsTableKeys.uploadDayIndex.partitionKey, AttributeType: 'S' },
];

const tableIndexes = [resultsTableKeys.batchIndex, resultsTableKeys.uploadDayIndex];

async function ensureResultsTable(dynamo: DynamoDBClient, table: string): Promise<boolean> {
  const existing = await describeTable(dynamo, table);
  if (existing) {
    assertTableShape(table, existing);
    return false;
  }
  await dynamo.send(
    new CreateTableCommand({
      TableName: table,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: tableAttributes,
      KeySchema: [{ AttributeName: resultsTableKeys.partitionKey, KeyType: 'HASH' }],
      GlobalSecondaryIndexes: tableIndexes.map((index) => ({
        IndexName: index.name,
        KeySchema: [
          { AttributeName: index.partitionKey, KeyType: 'HASH' },
          { AttributeName: index.sortKey, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      })),
    }),
  );
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const described = await describeTable(dynamo, table);
    if (described?.TableStatus === 'ACTIVE') return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new PermanentError('STACK_PROVISION_FAILED', `table ${table} did not become ACTIVE`);
}

async function describeTable(dynamo: DynamoDBClient, table: string): Promise<TableDescription | undefined> {
  try {
    return (await dynamo.send(new DescribeTableCommand({ TableName: table }))).Table;
  } catch (error) {
    if (error instanceof ResourceNotFoundException || (error as Error).name === 'ResourceNotFoundException')
      return undefined;
    throw error;
  }
}

function assertTableShape(table: string, description: TableDescription): void {
  const hash = description.KeySchema?.find((key) => key.KeyType === 'HASH')?.AttributeName;
  if (hash !== resultsTableKeys.partitionKey || description.KeySchema?.length !== 1) {
    throw new PermanentError(
      'STACK_PROVISION_FAILED',
      `table ${table} exists with key schema ${JSON.stringify(description.KeySchema)}; expected partition key ${resultsTableKeys.partitionKey} only. Delete the data folder or the table and start again`,
    );
  }
  for (const index of tableIndexes) {
    const found: GlobalSecondaryIndexDescription | undefined = description.GlobalSecondaryIndexes?.find(
      (candidate) => candidate.IndexName === index.name,
    );
    const keys = found?.KeySchema?.map((key) => `${key.AttributeName}:${key.KeyType}`).join(',');
    if (keys !== `${index.partitionKey}:HASH,${index.sortKey}:RANGE`) {
      throw new PermanentError(
        'STACK_PROVISION_FAILED',
        `table ${table} exists without index ${index.name} (${index.partitionKey}, ${index.sortKey}); it is half-created. Delete the data folder or the table and start again`,
      );
    }
  }
}

import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { type LocalStack, readQueueDepth, startLocalStack } from '@photo-pipeline/local-stack';
import { type AwsClients, createAwsClients } from '@photo-pipeline/shared/aws';
import { awsEnvSchema, loadConfig } from '@photo-pipeline/shared/config';
import { type ResultRow, resultRowSchema } from '@photo-pipeline/shared/contracts';

export interface TestStack {
  readonly stack: LocalStack;
  readonly env: Readonly<Record<string, string>>;
  readonly clients: AwsClients;
  /** Every row of the results table, validated against the contract. */
  rows(): Promise<ResultRow[]>;
  /** Visible and in-flight messages of a queue (the jobs queue by default). */
  depth(queueUrl?: string): Promise<{ visible: number; inFlight: number }>;
  stop(): Promise<void>;
}

/** An in-memory local stack on a free port, with a short visibility timeout so redeliveries come fast. */
export async function startTestStack(
  options: { visibilityTimeoutSeconds?: number } = {},
): Promise<TestStack> {
  const stack = await startLocalStack({
    port: 0,
    queue: { visibilityTimeoutSeconds: options.visibilityTimeoutSeconds ?? 30, maxReceiveCount: 5 },
  });
  const env = stack.serviceEnv();
  const clients = createAwsClients(loadConfig(awsEnvSchema, env), { maxAttempts: 2 });
  return {
    stack,
    env,
    clients,
    async rows() {
      const items: Record<string, unknown>[] = [];
      let cursor: Record<string, unknown> | undefined;
      do {
        const page = await clients.documents.send(
          new ScanCommand({ TableName: env.RESULTS_TABLE, ExclusiveStartKey: cursor, ConsistentRead: true }),
        );
        items.push(...(page.Items ?? []));
        cursor = page.LastEvaluatedKey;
      } while (cursor);
      return items.map((item) => resultRowSchema.parse(item));
    },
    depth: (queueUrl = stack.resources.jobsQueueUrl) => readQueueDepth(clients.sqs, queueUrl),
    async stop() {
      clients.destroy();
      await stack.stop();
    },
  };
}

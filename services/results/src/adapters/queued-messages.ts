import {
  type AwsClients,
  classifyAwsError,
  lookUpQueueUrl,
  readQueueAttributes,
} from '@photo-pipeline/shared/aws';
import { z } from 'zod';
import type { QueuedMessages, QueueInventory } from '../core/results-ports.ts';

const attributeNames = [
  'ApproximateNumberOfMessages',
  'ApproximateNumberOfMessagesNotVisible',
  'ApproximateNumberOfMessagesDelayed',
  'MessageRetentionPeriod',
  'RedrivePolicy',
] as const;

/**
 * The jobs queue and its DLQ through SQS's attributes. `jobsQueueUrl` is called only when the queues are
 * read, so the commands that never read them make no SQS request.
 */
export function createQueueInventory(
  sqs: AwsClients['sqs'],
  jobsQueueUrl: () => Promise<string>,
): QueueInventory {
  return { queuedMessages: async () => readQueuedMessages(sqs, await jobsQueueUrl()) };
}

/** Reads the jobs queue and the DLQ its redrive policy names. */
async function readQueuedMessages(sqs: AwsClients['sqs'], jobsQueueUrl: string): Promise<QueuedMessages> {
  const jobs = await attributesOf(sqs, jobsQueueUrl);
  const dlqUrl = await deadLetterQueueUrl(sqs, jobs.RedrivePolicy);
  const dlq = dlqUrl === undefined ? undefined : await attributesOf(sqs, dlqUrl);
  const queues = dlq === undefined ? [jobs] : [jobs, dlq];
  return {
    count: sum(queues.map((queue) => messagesIn(queue))),
    longestRetentionMs: Math.max(...queues.map((queue) => Number(queue.MessageRetentionPeriod ?? 0) * 1_000)),
  };
}

type QueueAttributes = Partial<Record<(typeof attributeNames)[number], string>>;

async function attributesOf(sqs: AwsClients['sqs'], queueUrl: string): Promise<QueueAttributes> {
  try {
    return await readQueueAttributes(sqs, queueUrl, attributeNames);
  } catch (error) {
    throw classifyAwsError(error, `reading the attributes of queue ${queueUrl}`, 'SQS');
  }
}

const redrivePolicySchema = z.object({ deadLetterTargetArn: z.string() });

/** The DLQ's URL from the redrive policy's target ARN (arn:aws:sqs:<region>:<account>:<name>). */
async function deadLetterQueueUrl(
  sqs: AwsClients['sqs'],
  redrivePolicy: string | undefined,
): Promise<string | undefined> {
  if (redrivePolicy === undefined) return undefined;
  const parsed = redrivePolicySchema.safeParse(JSON.parse(redrivePolicy));
  if (!parsed.success) return undefined;
  const { deadLetterTargetArn } = parsed.data;
  const [, , , , account, name] = deadLetterTargetArn.split(':');
  try {
    return await lookUpQueueUrl(sqs, name ?? '', account);
  } catch (error) {
    throw classifyAwsError(error, `looking up the dead-letter queue ${deadLetterTargetArn}`, 'SQS');
  }
}

function messagesIn(queue: QueueAttributes): number {
  return (
    Number(queue.ApproximateNumberOfMessages ?? 0) +
    Number(queue.ApproximateNumberOfMessagesNotVisible ?? 0) +
    Number(queue.ApproximateNumberOfMessagesDelayed ?? 0)
  );
}

const sum = (values: readonly number[]) => values.reduce((total, value) => total + value, 0);

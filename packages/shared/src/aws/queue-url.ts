import type { SQSClient } from '@aws-sdk/client-sqs';
import { RetryableError } from '../errors/app-error.ts';
import { classifyAwsError } from './classify-aws-error.ts';
import { lookUpQueueUrl } from './queue-attributes.ts';

/** The jobs queue's URL: the configured one, or looked up once by name. */
export async function resolveQueueUrl(
  sqs: SQSClient,
  config: { JOBS_QUEUE_URL?: string | undefined; JOBS_QUEUE_NAME: string },
): Promise<string> {
  if (config.JOBS_QUEUE_URL) return config.JOBS_QUEUE_URL;
  try {
    const queueUrl = await lookUpQueueUrl(sqs, config.JOBS_QUEUE_NAME);
    if (!queueUrl)
      throw new RetryableError(
        'DEPENDENCY_UNAVAILABLE',
        `SQS returned no URL for queue ${config.JOBS_QUEUE_NAME}`,
      );
    return queueUrl;
  } catch (error) {
    throw classifyAwsError(error, `looking up queue ${config.JOBS_QUEUE_NAME}`, 'SQS');
  }
}

import { GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';

export interface QueueDepth {
  /** Messages waiting to be received (what the CloudWatch alarm watches on AWS). */
  readonly visible: number;
  /** Messages received by a consumer and not yet deleted or released. */
  readonly inFlight: number;
}

export async function readQueueDepth(sqs: SQSClient, queueUrl: string): Promise<QueueDepth> {
  const reply = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return {
    visible: Number(reply.Attributes?.ApproximateNumberOfMessages ?? 0),
    inFlight: Number(reply.Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0),
  };
}

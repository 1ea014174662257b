import {
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  type QueueAttributeName,
  type SQSClient,
} from '@aws-sdk/client-sqs';

/*
 * SQS look-ups the services make beside sending and receiving. A failure is thrown as the SDK raised it:
 * the caller names what it was doing (classifyAwsError).
 */

/** The named attributes of a queue, as SQS returns them (strings); an attribute SQS leaves out is absent. */
export async function readQueueAttributes<Name extends QueueAttributeName>(
  sqs: SQSClient,
  queueUrl: string,
  names: readonly Name[],
): Promise<Partial<Record<Name, string>>> {
  const reply = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: [...names] }),
  );
  return reply.Attributes ?? {};
}

/** The URL of the queue named `name` (of another account when `ownerAccountId` is given), if SQS gives one. */
export async function lookUpQueueUrl(
  sqs: SQSClient,
  name: string,
  ownerAccountId?: string,
): Promise<string | undefined> {
  const reply = await sqs.send(
    new GetQueueUrlCommand({ QueueName: name, QueueOwnerAWSAccountId: ownerAccountId }),
  );
  return reply.QueueUrl;
}

import { SendMessageBatchCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { classifyAwsError, readQueueAttributes } from '@photo-pipeline/shared/aws';
import { serializeImageUploaded } from '@photo-pipeline/shared/contracts';
import { appError } from '@photo-pipeline/shared/errors';
import type { JobQueue } from '../core/upload/upload-ports.ts';

/** SQS's limit on entries per SendMessageBatch. */
const maxBatchEntries = 10;

export function createJobQueue(sqs: SQSClient, queueUrl: () => Promise<string>): JobQueue {
  return {
    async send(messages) {
      const sent: string[] = [];
      let url: string;
      try {
        url = await queueUrl();
      } catch (error) {
        return { sentImageIds: sent, failure: classifyAwsError(error, 'finding the jobs queue', 'SQS') };
      }
      const [only] = messages;
      if (messages.length === 1 && only) {
        // One file (the common case): one SendMessage, which the SDK retries like any call.
        try {
          await sqs.send(
            new SendMessageCommand({ QueueUrl: url, MessageBody: serializeImageUploaded(only) }),
          );
          return { sentImageIds: [only.imageId] };
        } catch (error) {
          return {
            sentImageIds: sent,
            failure: classifyAwsError(error, 'sending an ImageUploaded message', 'SQS'),
          };
        }
      }
      for (let start = 0; start < messages.length; start += maxBatchEntries) {
        let pending = messages.slice(start, start + maxBatchEntries);
        // Entries SQS refuses one by one (throttling) get one more try before the request fails.
        for (let round = 0; pending.length > 0; round += 1) {
          if (round > 1) {
            const failure = appError(
              'DEPENDENCY_UNAVAILABLE',
              `SQS refused ${pending.length} ImageUploaded messages`,
              { details: { dependency: 'SQS' } },
            );
            return { sentImageIds: sent, failure };
          }
          let failedIds: Set<string>;
          try {
            const reply = await sqs.send(
              new SendMessageBatchCommand({
                QueueUrl: url,
                Entries: pending.map((message, index) => ({
                  Id: String(index),
                  MessageBody: serializeImageUploaded(message),
                })),
              }),
            );
            failedIds = new Set((reply.Failed ?? []).map((entry) => entry.Id ?? ''));
          } catch (error) {
            return {
              sentImageIds: sent,
              failure: classifyAwsError(error, 'sending ImageUploaded messages', 'SQS'),
            };
          }
          sent.push(...pending.filter((_, index) => !failedIds.has(String(index))).map((m) => m.imageId));
          pending = pending.filter((_, index) => failedIds.has(String(index)));
        }
      }
      return { sentImageIds: sent };
    },
    async ping() {
      try {
        await readQueueAttributes(sqs, await queueUrl(), ['QueueArn']);
      } catch (error) {
        throw classifyAwsError(error, 'checking the jobs queue', 'SQS');
      }
    },
  };
}

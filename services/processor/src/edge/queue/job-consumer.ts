import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  type Message,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { classifyAwsError } from '@photo-pipeline/shared/aws';
import type { Logger } from '@photo-pipeline/shared/log';
import { Consumer } from 'sqs-consumer';
import type { MessageOutcome, QueueMessage } from '../../core/jobs/process-message.ts';
import { retryDelaySeconds } from './retry-backoff.ts';

export type ExitReason = 'idle' | 'sigterm' | 'error';

export interface ConsumerSettings {
  readonly queueUrl: string;
  readonly concurrency: number;
  readonly visibilityTimeoutSeconds: number;
  readonly heartbeatIntervalSeconds: number;
  readonly idleExitSeconds: number;
  readonly stopTimeoutSeconds: number;
  readonly retryBackoffBaseSeconds: number;
}

export interface ConsumerSummary {
  readonly reason: ExitReason;
  readonly imagesProcessed: number;
  readonly imagesFailed: number;
  readonly duplicates: number;
  /** Receives of bodies that are not an ImageUploaded v1 (left to reach the DLQ). */
  readonly rejected: number;
  /** Transient failures left for a later delivery. */
  readonly retried: number;
  /** In-flight messages handed back (visibility 0) when the stop timeout ran out. */
  readonly handedBack: number;
}

export interface ConsumerDeps {
  readonly sqs: SQSClient;
  readonly logger: Logger;
  readonly handle: (message: QueueMessage) => Promise<MessageOutcome>;
  /** Aborted on SIGTERM. */
  readonly stopSignal: AbortSignal;
}

const receiveCountOf = (message: Message) => Number(message.Attributes?.ApproximateReceiveCount ?? '1') || 1;

/**
 * Drains the queue with sqs-consumer until it has been idle for idleExitSeconds (nothing received, nothing
 * in flight) or stopSignal fires. Concurrency is `concurrency` consumers of one message each, so a slow
 * image never holds back the next receive. Messages are deleted here rather than by sqs-consumer, so a
 * delete is never tied to the consumer's lifecycle (sqs-consumer sends it with the consumer's abort signal).
 */
export async function consumeJobs(settings: ConsumerSettings, deps: ConsumerDeps): Promise<ConsumerSummary> {
  const { sqs, logger } = deps;
  const counts = {
    imagesProcessed: 0,
    imagesFailed: 0,
    duplicates: 0,
    rejected: 0,
    retried: 0,
    handedBack: 0,
  };
  const inFlight = new Map<string, Message>();
  let lastActivityAt = Date.now();

  const deleteMessage = async (message: Message) => {
    try {
      await sqs.send(
        new DeleteMessageCommand({ QueueUrl: settings.queueUrl, ReceiptHandle: message.ReceiptHandle }),
      );
    } catch (error) {
      // The row is written; a redelivery finds it and deletes the message then.
      logger.warn(
        { err: classifyAwsError(error, 'deleting a message'), messageId: message.MessageId },
        'delete failed',
      );
    }
  };

  const hideFor = async (message: Message, seconds: number) => {
    try {
      await sqs.send(
        new ChangeMessageVisibilityCommand({
          QueueUrl: settings.queueUrl,
          ReceiptHandle: message.ReceiptHandle,
          VisibilityTimeout: seconds,
        }),
      );
    } catch (error) {
      logger.warn(
        { err: classifyAwsError(error, 'changing visibility'), messageId: message.MessageId },
        'could not change the visibility; the message returns when its visibility timeout ends',
      );
    }
  };

  const handleMessage = async (message: Message): Promise<Message | undefined> => {
    const messageId = message.MessageId ?? 'unknown';
    inFlight.set(messageId, message);
    lastActivityAt = Date.now();
    try {
      const outcome = await deps.handle({
        messageId,
        body: message.Body,
        receiveCount: receiveCountOf(message),
      });
      if (outcome.kind === 'rejected') {
        // No image to write a row for: the message is kept, not deleted, so that after the queue's
        // maxReceiveCount it lands in the DLQ where it can be inspected, instead of being lost.
        counts.rejected++;
        await hideFor(message, retryDelaySeconds(receiveCountOf(message), settings.retryBackoffBaseSeconds));
        return undefined;
      }
      if (outcome.kind === 'succeeded') counts.imagesProcessed++;
      else if (outcome.kind === 'failed') counts.imagesFailed++;
      else counts.duplicates++;
      await deleteMessage(message);
      return message;
    } catch (error) {
      counts.retried++;
      throw error;
    } finally {
      inFlight.delete(messageId);
      lastActivityAt = Date.now();
    }
  };

  const consumers = Array.from({ length: settings.concurrency }, () =>
    Consumer.create({
      queueUrl: settings.queueUrl,
      sqs,
      batchSize: 1,
      waitTimeSeconds: pollWaitSeconds(settings),
      visibilityTimeout: settings.visibilityTimeoutSeconds,
      heartbeatInterval: settings.heartbeatIntervalSeconds,
      attributeNames: ['All'],
      messageSystemAttributeNames: ['ApproximateReceiveCount'],
      shouldDeleteMessages: false,
      terminateVisibilityTimeout: (messages) =>
        retryDelaySeconds(receiveCountOf(messages[0] ?? {}), settings.retryBackoffBaseSeconds),
      handleMessage,
    }),
  );
  for (const consumer of consumers) {
    consumer.on('error', (err, message) => {
      logger.warn({ err, messageId: messageIdOf(message) }, 'queue error');
    });
    // processMessage logged these with their code; sqs-consumer hands the message back with the backoff.
    consumer.on('processing_error', () => {});
    consumer.on('timeout_error', () => {});
    consumer.start();
  }
  logger.info({ concurrency: settings.concurrency, queueUrl: settings.queueUrl }, 'consuming jobs');

  const reason = await new Promise<ExitReason>((resolve) => {
    const idleTimer = setInterval(() => {
      if (inFlight.size === 0 && Date.now() - lastActivityAt >= settings.idleExitSeconds * 1000) {
        clearInterval(idleTimer);
        resolve('idle');
      }
    }, 250);
    const onStop = () => {
      clearInterval(idleTimer);
      resolve('sigterm');
    };
    if (deps.stopSignal.aborted) onStop();
    else deps.stopSignal.addEventListener('abort', onStop, { once: true });
  });

  // No abort: a long poll cut off client-side can still be handed a message by SQS, which would then stay
  // hidden for a whole visibility timeout. Stopped consumers finish their current poll (at most
  // waitTimeSeconds) and any message it brings is processed like the others.
  for (const consumer of consumers) consumer.stop();
  const deadline =
    reason === 'sigterm' ? Date.now() + settings.stopTimeoutSeconds * 1000 : Number.POSITIVE_INFINITY;
  const busy = () => inFlight.size > 0 || consumers.some((consumer) => consumer.status.isPolling);
  if (inFlight.size > 0) {
    logger.info(
      { inFlight: inFlight.size, stopTimeoutSeconds: settings.stopTimeoutSeconds },
      'finishing in-flight messages',
    );
  }
  while (busy() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  if (inFlight.size > 0)
    counts.handedBack = await release(settings.queueUrl, sqs, logger, [...inFlight.values()]);
  return { reason, ...counts };
}

/**
 * The long-poll wait: as long as possible (20 s at most) to save empty receives, but no longer than the
 * idle period or the stop timeout, so that stopping never has to cut a poll off.
 */
export function pollWaitSeconds(
  settings: Pick<ConsumerSettings, 'idleExitSeconds' | 'stopTimeoutSeconds'>,
): number {
  return Math.max(1, Math.min(20, settings.idleExitSeconds, settings.stopTimeoutSeconds));
}

function messageIdOf(message: Message | Message[] | undefined): string | undefined {
  if (!message) return undefined;
  return Array.isArray(message) ? message.map((m) => m.MessageId).join(',') : message.MessageId;
}

/** Hands unfinished messages back with visibility 0, so another processor can take them at once. */
async function release(
  queueUrl: string,
  sqs: SQSClient,
  logger: Logger,
  messages: readonly Message[],
): Promise<number> {
  await Promise.all(
    messages.map(async (message) => {
      try {
        await sqs.send(
          new ChangeMessageVisibilityCommand({
            QueueUrl: queueUrl,
            ReceiptHandle: message.ReceiptHandle,
            VisibilityTimeout: 0,
          }),
        );
        logger.info({ messageId: message.MessageId }, 'handed an unfinished message back to the queue');
      } catch (error) {
        logger.warn(
          { err: classifyAwsError(error, 'handing a message back'), messageId: message.MessageId },
          'could not hand the message back; it returns when its visibility timeout ends',
        );
      }
    }),
  );
  return messages.length;
}

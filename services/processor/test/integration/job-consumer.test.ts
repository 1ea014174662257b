import { Writable } from 'node:stream';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { createLogger } from '@photo-pipeline/shared/log';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { QueueMessage } from '../../src/core/jobs/process-message.ts';
import { consumeJobs } from '../../src/edge/queue/job-consumer.ts';
import { startTestStack, type TestStack } from '../support/test-stack.ts';

const quietLogger = () =>
  createLogger({
    service: 'processor',
    destination: new Writable({ write: (_chunk, _enc, done) => done() }),
  });

describe('the job consumer', () => {
  let h: TestStack;
  beforeAll(async () => {
    h = await startTestStack();
  });
  afterAll(() => h?.stop());

  it('keeps a message hidden with its heartbeat while an image takes longer than the visibility timeout', async () => {
    // Prepare: one message; handling it takes 4.5 s against a 2 s visibility timeout, and a second
    // consumer is polling, so a lapse would show up as a second delivery.
    await h.clients.sqs.send(new SendMessageCommand({ QueueUrl: h.env.JOBS_QUEUE_URL, MessageBody: '{}' }));
    const deliveries: QueueMessage[] = [];
    const handle = async (message: QueueMessage) => {
      deliveries.push(message);
      await new Promise((resolve) => setTimeout(resolve, 4500));
      return { kind: 'succeeded', imageId: 'slow' } as const;
    };

    // Act
    const summary = await consumeJobs(
      {
        queueUrl: h.env.JOBS_QUEUE_URL ?? '',
        concurrency: 2,
        visibilityTimeoutSeconds: 2,
        heartbeatIntervalSeconds: 1,
        idleExitSeconds: 1,
        stopTimeoutSeconds: 5,
        retryBackoffBaseSeconds: 1,
      },
      { sqs: h.clients.sqs, logger: quietLogger(), handle, stopSignal: new AbortController().signal },
    );

    // Assess
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0]?.receiveCount).toBe(1);
    expect(summary).toMatchObject({ reason: 'idle', imagesProcessed: 1, retried: 0 });
    expect(await h.depth()).toEqual({ visible: 0, inFlight: 0 });
  });
});

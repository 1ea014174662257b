/// <reference path="../../../local-stack/src/types/dynalite.d.ts" />
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// A relative import, as in results-store.test.ts: local-stack depends on shared.
import { type LocalStack, startLocalStack } from '../../../local-stack/src/index.ts';
import {
  type AwsClients,
  createAwsClients,
  lookUpQueueUrl,
  readQueueAttributes,
} from '../../src/aws/index.ts';
import { awsEnvSchema, loadConfig } from '../../src/config/index.ts';

describe('SQS look-ups (against the embedded local stack, through the real SQS client)', () => {
  let stack: LocalStack;
  let clients: AwsClients;

  beforeAll(async () => {
    stack = await startLocalStack({ port: 0 });
    clients = createAwsClients(loadConfig(awsEnvSchema, stack.serviceEnv()), { maxAttempts: 1 });
  });

  afterAll(async () => {
    clients?.destroy();
    await stack?.stop();
  });

  it('finds a queue URL by name, and reads only the attributes asked for', async () => {
    // Act
    const url = await lookUpQueueUrl(clients.sqs, stack.resources.names.jobsQueue);
    const attributes = await readQueueAttributes(clients.sqs, stack.resources.jobsQueueUrl, [
      'ApproximateNumberOfMessages',
      'RedrivePolicy',
    ]);

    // Assess
    expect(url).toBe(stack.resources.jobsQueueUrl);
    expect(Object.keys(attributes).sort()).toEqual(['ApproximateNumberOfMessages', 'RedrivePolicy']);
    expect(attributes.ApproximateNumberOfMessages).toBe('0');
    expect(JSON.parse(attributes.RedrivePolicy ?? '{}')).toMatchObject({
      deadLetterTargetArn: stack.resources.deadLetterQueueArn,
    });
  });
});

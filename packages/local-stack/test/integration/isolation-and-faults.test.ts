import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { HeadObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { GetQueueAttributesCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { defaultResourceNames } from '@photo-pipeline/shared/resources';
import { describe, expect, it } from 'vitest';
import { startLocalStack } from '../../src/local-stack.ts';
import { clientsFor } from './stack-clients.ts';

const stackCli = fileURLToPath(new URL('../../src/stack-cli.ts', import.meta.url));

async function queueDepth(clients: ReturnType<typeof clientsFor>, queueUrl: string): Promise<number> {
  const reply = await clients.sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages'] }),
  );
  return Number(reply.Attributes?.ApproximateNumberOfMessages);
}

describe('local stack isolation and failures', () => {
  it('runs two stacks on different ports without sharing data', async () => {
    const a = await startLocalStack({ port: 0 });
    const b = await startLocalStack({ port: 0 });
    const clientsA = clientsFor(a);
    const clientsB = clientsFor(b);
    try {
      expect(a.port).not.toBe(b.port);
      await clientsA.s3.send(
        new PutObjectCommand({ Bucket: defaultResourceNames.uploadsBucket, Key: 'only-in-a', Body: 'a' }),
      );
      await clientsA.sqs.send(
        new SendMessageCommand({ QueueUrl: a.resources.jobsQueueUrl, MessageBody: 'for a' }),
      );

      const listedInB = await clientsB.s3.send(
        new ListObjectsV2Command({ Bucket: defaultResourceNames.uploadsBucket }),
      );
      expect(listedInB.KeyCount ?? 0).toBe(0);
      expect(await queueDepth(clientsB, b.resources.jobsQueueUrl)).toBe(0);
      expect(await queueDepth(clientsA, a.resources.jobsQueueUrl)).toBe(1);
    } finally {
      clientsA.destroy();
      clientsB.destroy();
      await Promise.all([a.stop(), b.stop()]);
    }
  });

  it('fails fast with a clear message and exit code 1 when the port is taken', async () => {
    const blocker = createServer();
    blocker.listen(0, '127.0.0.1');
    await once(blocker, 'listening');
    const address = blocker.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    try {
      const child = spawn(
        process.execPath,
        ['--conditions=development', stackCli, '--port', String(port), '--in-memory'],
        {
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
      });
      const killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      const [exitCode] = (await once(child, 'exit')) as [number | null];
      clearTimeout(killer);
      expect(exitCode).toBe(1);
      expect(stderr).toContain('STACK_PORT_IN_USE');
      expect(stderr).toContain(`port ${port}`);
      expect(stderr).not.toMatch(/\n\s+at /);
    } finally {
      blocker.close();
    }
  });

  it('simulates an S3 outage for fault tests and recovers when it ends', async () => {
    const stack = await startLocalStack({ port: 0 });
    const clients = clientsFor(stack);
    try {
      const head = () =>
        clients.s3.send(new HeadObjectCommand({ Bucket: defaultResourceNames.uploadsBucket, Key: 'x' }));
      const restore = stack.simulateOutage('s3');
      await expect(head()).rejects.toMatchObject({
        code: expect.stringMatching(/ECONNRESET|EPIPE|socket hang up/i),
      });
      // SQS stays up while S3 is out.
      expect(await queueDepth(clients, stack.resources.jobsQueueUrl)).toBe(0);
      restore();
      await expect(head()).rejects.toMatchObject({ $metadata: { httpStatusCode: 404 } });
    } finally {
      clients.destroy();
      await stack.stop();
    }
  });
});

import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { uploadFiles } from '@photo-pipeline/client';
import { newBatchId, newImageId, objectKeys, serializeImageUploaded } from '@photo-pipeline/shared/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.ts';
import { batchRows, startTestPipeline, type TestPipeline } from '../support/pipeline.ts';
import { writeImageFiles } from '../support/sample-files.ts';

const resultsCli = fileURLToPath(new URL('../../services/results/src/entry/cli.ts', import.meta.url));

async function resultsGet(
  test: TestPipeline,
  ids: string[],
): Promise<{ exitCode: number | null; json: unknown }> {
  const child = spawn(process.execPath, ['--conditions=development', resultsCli, 'get', ...ids, '--json'], {
    env: { ...process.env, ...test.pipeline.serviceEnv, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  const [exitCode] = (await once(child, 'exit')) as [number | null];
  return { exitCode, json: JSON.parse(stdout) };
}

describe('faults end to end', () => {
  let test: TestPipeline;
  const folders: string[] = [];

  beforeAll(async () => {
    // Short visibility so the messages a killed processor held come back within seconds, not minutes.
    test = await startTestPipeline({
      maxReceiveCount: 2,
      env: {
        RETRY_BACKOFF_BASE_SECONDS: '1',
        VISIBILITY_TIMEOUT_SECONDS: '6',
        HEARTBEAT_INTERVAL_SECONDS: '2',
      },
    });
  });

  afterAll(async () => {
    await test?.stop();
    for (const dir of folders) rmSync(dir, { recursive: true, force: true });
  });

  it('restarts a processor killed mid-batch and ends with every image processed exactly once', async () => {
    const files = await writeImageFiles(80, 0, 'kill');
    folders.push(files.dir);
    const summary = await uploadFiles({
      paths: [files.dir],
      endpoint: test.pipeline.api.url,
      concurrency: 8,
    });
    expect(summary.uploaded).toBe(80);

    const rowsSoFar = () => batchRows(test, summary.batchId);
    await eventually('the processor is part-way through the batch', async () => {
      const count = (await rowsSoFar()).length;
      return count >= 5 && count < 80 && test.pipeline.trigger.runningCount() > 0;
    });
    for (const run of test.pipeline.trigger.runningRuns()) run.kill('SIGKILL');

    await eventually('all 80 rows', async () => (await rowsSoFar()).length === 80, 180_000);
    const rows = await rowsSoFar();
    expect(new Set(rows.map((row) => row.imageId)).size).toBe(80);
    expect(rows.every((row) => row.status === 'SUCCEEDED')).toBe(true);
    await eventually(
      'the restarted processor exited when idle',
      () => test.pipeline.trigger.runningCount() === 0,
    );
    const runs = test.pipeline.trigger.completedRuns;
    expect(runs.some((run) => run.signal === 'SIGKILL')).toBe(true);
    const killed = runs.filter((run) => run.signal === 'SIGKILL').map((run) => run.runId);
    const reasons = runs.map((run) => `${run.runId}: ${run.reason}`).join('\n');
    // The trigger started another processor after the kill (normally as the backstop).
    expect(
      runs.some((run) => run.runId > Math.min(...killed)),
      reasons,
    ).toBe(true);
  });

  it('ends poison messages as FAILED rows or in the DLQ, and the results task reports each correctly', async () => {
    const env = test.pipeline.serviceEnv;
    const queueUrl = test.pipeline.stack.resources.jobsQueueUrl;
    const batchId = newBatchId();
    const message = (imageId: string, overrides: Record<string, unknown> = {}) =>
      serializeImageUploaded({
        type: 'ImageUploaded',
        version: 1,
        imageId,
        batchId,
        bucket: env.UPLOADS_BUCKET ?? '',
        key: objectKeys.original(imageId),
        contentType: 'image/jpeg',
        bytes: 10,
        sha256: 'c'.repeat(64),
        originalName: 'poison.jpg',
        uploadedAt: new Date().toISOString(),
        ...overrides,
      });

    // The object vanished before processing: a FAILED row, not a retry loop.
    const vanished = newImageId();
    await test.clients.sqs.send(
      new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: message(vanished) }),
    );
    // Bytes that are not an image at all, behind a JPEG content type.
    const garbage = newImageId();
    const garbageBytes = Buffer.from('this is text, not a JPEG');
    await test.clients.s3.send(
      new PutObjectCommand({
        Bucket: env.UPLOADS_BUCKET,
        Key: objectKeys.original(garbage),
        Body: garbageBytes,
      }),
    );
    await test.clients.sqs.send(
      new SendMessageCommand({
        QueueUrl: queueUrl,
        MessageBody: message(garbage, {
          bytes: garbageBytes.length,
          sha256: createHash('sha256').update(garbageBytes).digest('hex'),
        }),
      }),
    );
    // Not a message of ours at all: no image id to write a row for, so it must reach the DLQ.
    await test.clients.sqs.send(
      new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: '{"hello":"world"}' }),
    );

    await eventually('rows for both poison images', async () => {
      const statuses = await test.store.getImageStatuses([vanished, garbage]);
      return statuses.every((entry) => entry.status === 'FAILED');
    });
    const [vanishedStatus, garbageStatus] = await test.store.getImageStatuses([vanished, garbage]);
    expect(vanishedStatus?.status === 'FAILED' && vanishedStatus.row.errorCode).toBe('OBJECT_MISSING');
    expect(
      garbageStatus?.status === 'FAILED' &&
        ['IMAGE_CORRUPT', 'UNSUPPORTED_MEDIA_TYPE'].includes(garbageStatus.row.errorCode),
    ).toBe(true);

    const dlqBodies: string[] = [];
    await eventually(
      'the foreign message in the DLQ',
      async () => {
        const received = await test.clients.sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: test.pipeline.stack.resources.deadLetterQueueUrl,
            WaitTimeSeconds: 1,
          }),
        );
        dlqBodies.push(...(received.Messages ?? []).map((m) => m.Body ?? ''));
        return dlqBodies.includes('{"hello":"world"}');
      },
      150_000,
    );

    const unknown = newImageId();
    const reported = await resultsGet(test, [vanished, garbage, unknown]);
    expect(reported.exitCode).toBe(3);
    expect(JSON.stringify(reported.json)).toContain('OBJECT_MISSING');
    expect(JSON.stringify(reported.json)).toContain('UNKNOWN');
  });
});

import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { newImageId } from '@photo-pipeline/shared/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type InProcessRun, runProcessorOnce } from '../support/in-process-processor.ts';
import { sendJob, type TestJob } from '../support/jobs.ts';
import { testImages } from '../support/test-images.ts';
import { startTestStack, type TestStack } from '../support/test-stack.ts';

describe('messages that name an object other than their own', () => {
  let h: TestStack;
  let genuine: TestJob;
  let forgedImageId: string;
  let foreignBucketImageId: string;
  let run: InProcessRun;

  beforeAll(async () => {
    // Prepare: one genuine upload, then two messages that reuse its object under fresh image ids: one
    // naming its key, one naming another bucket. Sent raw, as a misbehaving producer would.
    h = await startTestStack();
    genuine = await sendJob(h.clients, h.env, await testImages.jpeg());
    forgedImageId = newImageId();
    foreignBucketImageId = newImageId();
    const forged = { ...genuine.message, imageId: forgedImageId };
    const foreignBucket = {
      ...genuine.message,
      imageId: foreignBucketImageId,
      key: `originals/${foreignBucketImageId}`,
      bucket: h.env.PROCESSED_BUCKET,
    };
    for (const body of [forged, foreignBucket]) {
      await h.clients.sqs.send(
        new SendMessageCommand({ QueueUrl: h.env.JOBS_QUEUE_URL, MessageBody: JSON.stringify(body) }),
      );
    }

    // Act
    run = await runProcessorOnce(h.env, { IDLE_EXIT_SECONDS: '2', RETRY_BACKOFF_BASE_SECONDS: '1' });
  });
  afterAll(() => h?.stop());

  it('refuses a fresh image id naming another image key as MESSAGE_INVALID and writes no row for it', async () => {
    const rows = await h.rows();
    expect(rows.map((row) => row.imageId)).toEqual([genuine.message.imageId]);
    expect(rows[0]).toMatchObject({ status: 'SUCCEEDED' });
    const refusal = run.logs.find(
      (line) => line.msg === 'rejected a message that is not an ImageUploaded v1' && line.err !== undefined,
    );
    expect(refusal).toMatchObject({ errorCode: 'MESSAGE_INVALID' });
    expect(JSON.stringify(refusal)).toContain('key: must be the key derived from imageId');
  });

  it('refuses a message pointing at a bucket other than the uploads bucket, with no row', async () => {
    const rows = await h.rows();
    expect(rows.some((row) => row.imageId === foreignBucketImageId)).toBe(false);
    const refusal = run.logs.find((line) => line.imageId === foreignBucketImageId);
    expect(refusal).toMatchObject({ errorCode: 'MESSAGE_INVALID', level: 'error' });
    expect(run.summary.rejected).toBeGreaterThanOrEqual(2);
  });
});

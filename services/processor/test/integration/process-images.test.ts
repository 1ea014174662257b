import { GetObjectCommand } from '@aws-sdk/client-s3';
import { ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { type SucceededRow, serializeImageUploaded } from '@photo-pipeline/shared/contracts';
import { bogusJpeg } from '@photo-pipeline/test-support/bogus-jpeg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runProcessorOnce } from '../support/in-process-processor.ts';
import { sendJob, type TestJob } from '../support/jobs.ts';
import {
  compareInverse,
  decodeOutput,
  decodeReference,
  foregroundOf,
  testImages,
} from '../support/test-images.ts';
import { startTestStack, type TestStack } from '../support/test-stack.ts';

/**
 * JPEG outputs are compared with the codec's tolerance: quality 90 with 4:2:0 chroma subsampling on these
 * smooth test pictures stays within a mean error of 2 levels and a maximum of 24 levels per channel
 * (0-255). PNG outputs must match exactly.
 */
const jpegTolerance = { mean: 2, max: 24 } as const;

interface GoodCase {
  readonly make: () => Promise<Buffer>;
  readonly contentType: 'image/jpeg' | 'image/png' | 'image/gif' | 'image/webp';
  readonly width: number;
  readonly height: number;
  readonly output: 'jpg' | 'png';
}

const goodCases: Record<string, GoodCase> = {
  'JPEG photo': {
    make: () => testImages.jpeg(),
    contentType: 'image/jpeg',
    width: 64,
    height: 48,
    output: 'jpg',
  },
  'PNG with alpha': {
    make: () => testImages.pngWithAlpha(),
    contentType: 'image/png',
    width: 40,
    height: 30,
    output: 'png',
  },
  'CMYK JPEG': {
    make: () => testImages.cmykJpeg(),
    contentType: 'image/jpeg',
    width: 48,
    height: 32,
    output: 'jpg',
  },
  '16-bit PNG': {
    make: () => testImages.png16Bit(),
    contentType: 'image/png',
    width: 36,
    height: 28,
    output: 'jpg',
  },
  'grey PNG': {
    make: () => testImages.grey(),
    contentType: 'image/png',
    width: 50,
    height: 20,
    output: 'jpg',
  },
  'EXIF-rotated JPEG': {
    make: () => testImages.exifRotatedJpeg(),
    contentType: 'image/jpeg',
    width: 48,
    height: 64,
    output: 'jpg',
  },
  'animated GIF': {
    make: () => testImages.animatedGif(),
    contentType: 'image/gif',
    width: 32,
    height: 24,
    output: 'png',
  },
  WebP: { make: () => testImages.webp(), contentType: 'image/webp', width: 44, height: 33, output: 'jpg' },
};

const badCases = {
  'truncated JPEG': { make: () => testImages.truncatedJpeg(), errorCode: 'IMAGE_CORRUPT' },
  'zero bytes': { make: () => testImages.zeroBytes(), errorCode: 'IMAGE_CORRUPT' },
  'text named .jpg': { make: () => testImages.textNamedJpg(), errorCode: 'UNSUPPORTED_MEDIA_TYPE' },
  'JPEG signature over text (the bytes the API refuses as IMAGE_CORRUPT)': {
    make: async () => bogusJpeg,
    errorCode: 'IMAGE_CORRUPT',
  },
  'decompression-bomb header': {
    make: () => testImages.decompressionBomb(),
    errorCode: 'IMAGE_TOO_MANY_PIXELS',
  },
} as const;

describe('processing queued images end to end', () => {
  let h: TestStack;
  const good = new Map<string, TestJob>();
  const bad = new Map<string, TestJob>();
  let vanished: TestJob;
  let run: Awaited<ReturnType<typeof runProcessorOnce>>;

  beforeAll(async () => {
    // Prepare: every image is uploaded and announced as the API would, plus one whose object is gone.
    h = await startTestStack();
    for (const [name, spec] of Object.entries(goodCases)) {
      good.set(name, await sendJob(h.clients, h.env, await spec.make(), { contentType: spec.contentType }));
    }
    for (const [name, spec] of Object.entries(badCases)) {
      bad.set(name, await sendJob(h.clients, h.env, await spec.make()));
    }
    vanished = await sendJob(h.clients, h.env, await testImages.jpeg(), { skipUpload: true });
    await h.clients.sqs.send(
      new SendMessageCommand({ QueueUrl: h.env.JOBS_QUEUE_URL, MessageBody: '{"type":"nope"}' }),
    );
    // Act: one processor run drains the queue and goes idle.
    // No retry delay, so the invalid message goes through its receives and into the DLQ in this run.
    run = await runProcessorOnce(h.env, { RETRY_BACKOFF_BASE_SECONDS: '0' });
  });
  afterAll(() => h?.stop());

  it('ends every image as exactly one row and empties the queue', async () => {
    const rows = await h.rows();
    const expectedIds = [...good.values(), ...bad.values(), vanished]
      .map((job) => job.message.imageId)
      .sort();
    expect(rows.map((row) => row.imageId).sort()).toEqual(expectedIds);
    expect(await h.depth()).toEqual({ visible: 0, inFlight: 0 });
    expect(run.summary).toMatchObject({
      reason: 'idle',
      imagesProcessed: good.size,
      imagesFailed: bad.size + 1,
    });
  });

  it('keeps a message that is not an ImageUploaded v1 until it lands in the DLQ, without blocking others', async () => {
    expect(run.summary.rejected).toBeGreaterThanOrEqual(1);
    const dlq = await h.clients.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: h.stack.resources.deadLetterQueueUrl, WaitTimeSeconds: 1 }),
    );
    expect(dlq.Messages?.map((message) => message.Body)).toEqual(['{"type":"nope"}']);
    const rejected = run.logs.find(
      (line) => line.msg === 'rejected a message that is not an ImageUploaded v1',
    );
    expect(rejected).toMatchObject({ errorCode: 'MESSAGE_INVALID', messageId: expect.any(String) });
  });

  for (const [name, spec] of Object.entries(goodCases)) {
    it(`processes a ${name} into the exact inverse of its first frame, upright`, async () => {
      const job = good.get(name);
      if (!job) throw new Error(`no job for ${name}`);
      const row = await getRow(job.message.imageId);
      expect(row).toMatchObject({
        status: 'SUCCEEDED',
        width: spec.width,
        height: spec.height,
        areaPx: spec.width * spec.height,
        executionProvider: 'cpu',
        model: { name: 'inverse-area' },
        batchId: 'test-batch',
        uploadDay: job.message.uploadedAt.slice(0, 10),
        attempts: 1,
        input: { bytes: job.bytes.length, sha256: job.message.sha256 },
      });
      if (row.status !== 'SUCCEEDED') return;
      expect(row.output.key).toBe(`processed/${job.message.imageId}.${spec.output}`);
      expect(row.mask).toBeUndefined();

      const input = await decodeReference(job.bytes);
      const outputBytes = await download(row);
      expect(outputBytes.length).toBe(row.output.bytes);
      const output = await decodeOutput(outputBytes);
      expect([output.width, output.height]).toEqual([spec.width, spec.height]);
      expect(row.foregroundPx).toBe(foregroundOf(input));
      expect(row.foregroundRatio).toBeCloseTo(row.foregroundPx / row.areaPx, 10);
      const diff = compareInverse(input, output);
      if (spec.output === 'png') {
        expect(diff).toEqual({ maxColourError: 0, meanColourError: 0, maxAlphaError: 0 });
        expect(output.channels).toBe(input.channels);
      } else {
        expect(output.channels).toBe(3);
        expect(diff.meanColourError).toBeLessThanOrEqual(jpegTolerance.mean);
        expect(diff.maxColourError).toBeLessThanOrEqual(jpegTolerance.max);
      }
    });
  }

  for (const [name, spec] of Object.entries(badCases)) {
    it(`records a ${name} as FAILED with ${spec.errorCode}`, async () => {
      const job = bad.get(name);
      if (!job) throw new Error(`no job for ${name}`);
      const row = await getRow(job.message.imageId);
      expect(row).toMatchObject({ status: 'FAILED', errorCode: spec.errorCode, attempts: 1 });
      expect(row.status === 'FAILED' && row.errorMessage.length).toBeGreaterThan(10);
    });
  }

  it('records a message whose object vanished as FAILED with OBJECT_MISSING, not a retry loop', async () => {
    const row = await getRow(vanished.message.imageId);
    expect(row).toMatchObject({ status: 'FAILED', errorCode: 'OBJECT_MISSING', attempts: 1 });
  });

  it('counts ImagesProcessed and ImagesFailed and logs with image and message ids', () => {
    const total = (name: string) =>
      run.metrics.filter((metric) => metric.name === name).reduce((sum, metric) => sum + metric.value, 0);
    expect(total('ImagesProcessed')).toBe(good.size);
    expect(total('ImagesFailed')).toBe(bad.size + 1);
    expect(total('MessagesRejected')).toBeGreaterThanOrEqual(1);
    expect(
      run.metrics.some(
        (metric) => metric.name === 'StageLatency' && metric.dimensions?.Stage === 'inference',
      ),
    ).toBe(true);
    const processed = run.logs.filter((line) => line.msg === 'image processed');
    expect(processed).toHaveLength(good.size);
    for (const line of processed) {
      expect(line).toMatchObject({
        imageId: expect.any(String),
        messageId: expect.any(String),
        batchId: 'test-batch',
      });
    }
  });

  it('leaves the row unchanged and deletes the message when a processed message is delivered again', async () => {
    // Prepare: the first JPEG's message, sent again as SQS may redeliver it.
    const job = good.get('JPEG photo');
    if (!job) throw new Error('no job');
    const before = await getRow(job.message.imageId);
    await h.clients.sqs.send(
      new SendMessageCommand({
        QueueUrl: h.env.JOBS_QUEUE_URL,
        MessageBody: serializeImageUploaded(job.message),
      }),
    );
    // Act
    const again = await runProcessorOnce(h.env);
    // Assess
    expect(again.summary).toMatchObject({ duplicates: 1, imagesProcessed: 0, imagesFailed: 0 });
    expect(await getRow(job.message.imageId)).toEqual(before);
    expect(await h.depth()).toEqual({ visible: 0, inFlight: 0 });
  });

  async function getRow(imageId: string) {
    const reply = await h.clients.documents.send(
      new GetCommand({ TableName: h.env.RESULTS_TABLE, Key: { imageId }, ConsistentRead: true }),
    );
    const [row] = (await h.rows()).filter((candidate) => candidate.imageId === imageId);
    if (!row || !reply.Item) throw new Error(`no row for ${imageId}`);
    return row;
  }

  async function download(row: SucceededRow): Promise<Buffer> {
    const reply = await h.clients.s3.send(
      new GetObjectCommand({ Bucket: row.output.bucket, Key: row.output.key }),
    );
    return Buffer.from((await reply.Body?.transformToByteArray()) ?? []);
  }
});

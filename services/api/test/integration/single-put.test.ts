import { createHash } from 'node:crypto';
import { GetObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import { jpegBytes } from '@photo-pipeline/test-support/image-builders';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { singlePutMaxBytes } from '../../src/core/upload/upload-limits.ts';
import { type ApiHarness, postImages, startApiHarness } from '../support/api-harness.ts';

interface UploadReply {
  images: { imageId: string; key: string; bytes: number; sha256: string }[];
}

let api: ApiHarness;
let limitedApi: ApiHarness;
beforeAll(async () => {
  api = await startApiHarness();
  // The byte limit right at the single-put threshold: the boundary where both rules meet.
  limitedApi = await startApiHarness({
    stack: api.stack,
    env: { MAX_UPLOAD_BYTES: String(singlePutMaxBytes) },
  });
});
afterAll(async () => {
  await limitedApi?.close();
  await api?.close();
});

const sha256Hex = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** Uploads one JPEG of `bytes` bytes; returns the reply and the S3 commands the API sent for it. */
async function upload(harness: ApiHarness, bytes: Buffer) {
  const commandsBefore = harness.s3Commands.length;
  const reply = await postImages(harness.url, [{ name: 'photo.jpg', bytes, type: 'image/jpeg' }]);
  return { reply, commands: harness.s3Commands.slice(commandsBefore) };
}

async function storedObject(harness: ApiHarness, key: string) {
  const bucket = harness.deps.config.UPLOADS_BUCKET;
  const head = await harness.deps.aws.s3.send(
    new HeadObjectCommand({ Bucket: bucket, Key: key, ChecksumMode: 'ENABLED' }),
  );
  const get = await harness.deps.aws.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return { head, bytes: Buffer.from((await get.Body?.transformToByteArray()) ?? []) };
}

describe('files up to one part go to S3 in one PutObject with their SHA-256', () => {
  it('stores a 200 KB file with one PutObject: same bytes, metadata, and the SHA-256 as its checksum', async () => {
    const bytes = jpegBytes({ width: 1600, height: 1200, bytes: 200 * 1024 });

    const { reply, commands } = await upload(api, bytes);

    expect(reply.status).toBe(202);
    const [image] = (reply.body as UploadReply).images;
    expect(image?.sha256).toBe(sha256Hex(bytes));
    expect(commands).toEqual(['PutObjectCommand']);
    const stored = await storedObject(api, image?.key ?? '');
    expect(stored.bytes.equals(bytes)).toBe(true);
    expect(stored.head.ContentType).toBe('image/jpeg');
    expect(stored.head.Metadata).toMatchObject({ 'image-id': image?.imageId, 'original-name': 'photo.jpg' });
    expect(stored.head.ChecksumSHA256).toBe(Buffer.from(sha256Hex(bytes), 'hex').toString('base64'));
  });

  it('retries a PutObject whose first attempt failed after sending the body, and stores the file whole', async () => {
    // Prepare: an API whose S3 client fails its first PutObject attempt as a connection reset, after
    // the body went out. (A body the SDK cannot resend, such as a stream, would not be retried at all.)
    const retrying = await startApiHarness({ stack: api.stack });
    onTestFinished(() => retrying.close());
    let failNextPut = true;
    let putAttempts = 0;
    retrying.deps.aws.s3.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName !== 'PutObjectCommand') return next(args);
        putAttempts += 1;
        if (!failNextPut) return next(args);
        failNextPut = false;
        throw Object.assign(new Error('simulated connection reset after the body was sent'), {
          code: 'ECONNRESET',
        });
      },
      { step: 'deserialize', name: 'failFirstPutAttempt', priority: 'low' },
    );
    const bytes = jpegBytes({ width: 1600, height: 1200, bytes: 150 * 1024 });

    // Act
    const { reply } = await upload(retrying, bytes);

    // Assess
    expect(reply.status).toBe(202);
    expect(putAttempts).toBe(2);
    const [image] = (reply.body as UploadReply).images;
    const stored = await storedObject(retrying, image?.key ?? '');
    expect(stored.bytes.equals(bytes)).toBe(true);
  });

  it('stores a file of exactly the threshold with one PutObject', async () => {
    const bytes = jpegBytes({ bytes: singlePutMaxBytes });

    const { reply, commands } = await upload(api, bytes);

    expect(reply.status).toBe(202);
    expect(commands).toEqual(['PutObjectCommand']);
    const [image] = (reply.body as UploadReply).images;
    expect((await storedObject(api, image?.key ?? '')).bytes.equals(bytes)).toBe(true);
  });

  it('streams a file one byte over the threshold as a multipart upload, intact', async () => {
    const bytes = jpegBytes({ bytes: singlePutMaxBytes + 1 });

    const { reply, commands } = await upload(api, bytes);

    expect(reply.status).toBe(202);
    expect(commands).toContain('CreateMultipartUploadCommand');
    expect(commands.filter((command) => command === 'UploadPartCommand')).toHaveLength(2);
    expect(commands).toContain('CompleteMultipartUploadCommand');
    expect(commands).not.toContain('PutObjectCommand');
    const [image] = (reply.body as UploadReply).images;
    expect(image).toMatchObject({ bytes: singlePutMaxBytes + 1, sha256: sha256Hex(bytes) });
    const stored = await storedObject(api, image?.key ?? '');
    expect(stored.bytes.equals(bytes)).toBe(true);
  });

  it('with the byte limit at the threshold, takes a file of exactly the limit in one PutObject', async () => {
    const bytes = jpegBytes({ bytes: singlePutMaxBytes });

    const { reply, commands } = await upload(limitedApi, bytes);

    expect(reply.status).toBe(202);
    expect(commands).toEqual(['PutObjectCommand']);
  });

  it('with the byte limit at the threshold, refuses one byte more and leaves no object, upload or message', async () => {
    const objectsBefore = await api.countOriginals();
    const messagesBefore = await api.countMessages();

    const { reply, commands } = await upload(limitedApi, jpegBytes({ bytes: singlePutMaxBytes + 1 }));

    expect(reply.status).toBe(413);
    expect(reply.body).toMatchObject({ error: { code: 'PAYLOAD_TOO_LARGE' } });
    expect(commands).toEqual([]);
    expect(await api.countOriginals()).toBe(objectsBefore);
    expect(await api.countMessages()).toBe(messagesBefore);
  });
});

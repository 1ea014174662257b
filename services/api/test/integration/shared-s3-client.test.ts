import { createHash } from 'node:crypto';
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { type LocalStack, startLocalStack } from '@photo-pipeline/local-stack';
import { type AwsClients, createAwsClients } from '@photo-pipeline/shared/aws';
import { awsEnvSchema, loadConfig } from '@photo-pipeline/shared/config';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PayloadCheckingProxy, startPayloadCheckingProxy } from '../support/payload-checking-proxy.ts';

let stack: LocalStack;
let proxy: PayloadCheckingProxy;
let clients: AwsClients;

beforeAll(async () => {
  stack = await startLocalStack({ port: 0 });
  proxy = await startPayloadCheckingProxy(stack.endpoint);
  clients = createAwsClients(
    loadConfig(awsEnvSchema, { ...stack.serviceEnv(), AWS_ENDPOINT_URL: proxy.url }),
    { maxAttempts: 1 },
  );
});
afterAll(async () => {
  clients?.destroy();
  await proxy?.close();
  await stack?.stop();
});

const bucket = () => stack.resources.names.uploadsBucket;
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest();
const lastReceived = () => proxy.received.at(-1) ?? {};

// The client factory lives in packages/shared/src/aws; the API is what relies on this behaviour. The
// proxy checks bodies as S3 does; the emulator itself checks neither the payload hash nor the checksum.
describe('the shared S3 client (createAwsClients)', () => {
  it('signs a PutObject that carries ChecksumSHA256 with that digest as payload hash, and computes no CRC32', async () => {
    const body = Buffer.from('a small image, as far as this test cares');
    const digest = sha256(body);

    await clients.s3.send(
      new PutObjectCommand({
        Bucket: bucket(),
        Key: 'test/checksummed',
        Body: body,
        ChecksumSHA256: digest.toString('base64'),
      }),
    );

    const headers = lastReceived();
    expect(headers['x-amz-content-sha256']).toBe(digest.toString('hex'));
    expect(headers['x-amz-checksum-sha256']).toBe(digest.toString('base64'));
    expect(headers['x-amz-checksum-crc32']).toBeUndefined();
    expect(headers.authorization).toContain('x-amz-content-sha256');
    const head = await clients.s3.send(
      new HeadObjectCommand({ Bucket: bucket(), Key: 'test/checksummed', ChecksumMode: 'ENABLED' }),
    );
    expect(head.ChecksumSHA256).toBe(digest.toString('base64'));
    const stored = await clients.s3.send(new GetObjectCommand({ Bucket: bucket(), Key: 'test/checksummed' }));
    expect(Buffer.from((await stored.Body?.transformToByteArray()) ?? []).equals(body)).toBe(true);
  });

  it('signs the digest it is given, not one of the body, so a body that does not match it is refused and nothing is stored', async () => {
    const claimed = sha256(Buffer.from('some other bytes'));
    const put = new PutObjectCommand({
      Bucket: bucket(),
      Key: 'test/mismatched',
      Body: Buffer.from('the real bytes'),
      ChecksumSHA256: claimed.toString('base64'),
    });

    const refusal = await clients.s3.send(put).catch((error: unknown) => error);

    // The payload hash is checked first: had the client hashed the body itself, only the checksum
    // (BadDigest) would have caught the mismatch.
    expect(refusal).toMatchObject({ name: 'XAmzContentSHA256Mismatch', $metadata: { httpStatusCode: 400 } });
    expect(lastReceived()['x-amz-content-sha256']).toBe(claimed.toString('hex'));
    await expect(
      clients.s3.send(new HeadObjectCommand({ Bucket: bucket(), Key: 'test/mismatched' })),
    ).rejects.toMatchObject({ name: 'NotFound' });
  });

  it('leaves a PutObject without a checksum to the SDK: a CRC32 and the payload hash it computes', async () => {
    const body = Buffer.from('no checksum given');

    await clients.s3.send(new PutObjectCommand({ Bucket: bucket(), Key: 'test/plain', Body: body }));

    expect(lastReceived()['x-amz-content-sha256']).toBe(sha256(body).toString('hex'));
    expect(lastReceived()['x-amz-checksum-crc32']).toBeDefined();
  });
});

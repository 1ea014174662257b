import { createHash } from 'node:crypto';
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { type LocalStack, startLocalStack } from '@photo-pipeline/local-stack';
import { type AwsClients, createAwsClients } from '@photo-pipeline/shared/aws';
import { awsEnvSchema, loadConfig } from '@photo-pipeline/shared/config';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let stack: LocalStack;
let clients: AwsClients;
/** The headers of each S3 request as signed and sent (recorded after signing; requests still go out). */
const sent: Record<string, string>[] = [];

beforeAll(async () => {
  stack = await startLocalStack({ port: 0 });
  clients = createAwsClients(loadConfig(awsEnvSchema, stack.serviceEnv()), { maxAttempts: 1 });
  clients.s3.middlewareStack.add(
    (next) => async (args) => {
      sent.push({ ...(args.request as { headers: Record<string, string> }).headers });
      return next(args);
    },
    { step: 'finalizeRequest', name: 'recordSentHeaders', priority: 'low' },
  );
});
afterAll(async () => {
  clients?.destroy();
  await stack?.stop();
});

const bucket = () => stack.resources.names.uploadsBucket;
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest();

// The client factory lives in packages/shared/src/aws; the API is what relies on this behaviour.
describe('the shared S3 client (createAwsClients)', () => {
  it('signs a PutObject that carries ChecksumSHA256 with that digest as payload hash, and computes no CRC32', async () => {
    const body = Buffer.from('a small image, as far as this test cares');
    const digest = sha256(body);
    sent.length = 0;

    await clients.s3.send(
      new PutObjectCommand({
        Bucket: bucket(),
        Key: 'test/checksummed',
        Body: body,
        ChecksumSHA256: digest.toString('base64'),
      }),
    );

    const [headers] = sent;
    expect(headers?.['x-amz-content-sha256']).toBe(digest.toString('hex'));
    expect(headers?.['x-amz-checksum-sha256']).toBe(digest.toString('base64'));
    expect(headers?.['x-amz-checksum-crc32']).toBeUndefined();
    expect(headers?.authorization).toContain('x-amz-content-sha256');
    const head = await clients.s3.send(
      new HeadObjectCommand({ Bucket: bucket(), Key: 'test/checksummed', ChecksumMode: 'ENABLED' }),
    );
    expect(head.ChecksumSHA256).toBe(digest.toString('base64'));
    const stored = await clients.s3.send(new GetObjectCommand({ Bucket: bucket(), Key: 'test/checksummed' }));
    expect(Buffer.from((await stored.Body?.transformToByteArray()) ?? []).equals(body)).toBe(true);
  });

  it('signs exactly the digest it is given, so S3 refuses a body that does not match it', async () => {
    // The emulator does not verify payload hashes; S3 answers XAmzContentSHA256Mismatch. What this
    // shows is that the signed hash is the caller's claim about the body, not a copy of the body's.
    const claimed = sha256(Buffer.from('some other bytes'));
    sent.length = 0;

    await clients.s3.send(
      new PutObjectCommand({
        Bucket: bucket(),
        Key: 'test/mismatched',
        Body: Buffer.from('the real bytes'),
        ChecksumSHA256: claimed.toString('base64'),
      }),
    );

    expect(sent[0]?.['x-amz-content-sha256']).toBe(claimed.toString('hex'));
  });

  it('leaves a PutObject without a checksum to the SDK: a CRC32 and the payload hash it computes', async () => {
    const body = Buffer.from('no checksum given');
    sent.length = 0;

    await clients.s3.send(new PutObjectCommand({ Bucket: bucket(), Key: 'test/plain', Body: body }));

    expect(sent[0]?.['x-amz-content-sha256']).toBe(sha256(body).toString('hex'));
    expect(sent[0]?.['x-amz-checksum-crc32']).toBeDefined();
  });
});

/// <reference path="../../../local-stack/src/types/dynalite.d.ts" />
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// A relative import, as in results-store.test.ts: local-stack depends on shared.
import { type LocalStack, startLocalStack } from '../../../local-stack/src/index.ts';
import {
  type AwsClients,
  bucketExists,
  createAwsClients,
  getObjectBytes,
  getObjectText,
  isMissingObject,
  isPreconditionFailed,
  listObjects,
  objectExists,
  presignedGetUrl,
  putObject,
} from '../../src/aws/index.ts';
import { awsEnvSchema, loadConfig } from '../../src/config/index.ts';

/** The error the call rejects with, or a failure when it does not reject. */
async function rejectionOf(call: Promise<unknown>): Promise<unknown> {
  try {
    await call;
  } catch (error) {
    return error;
  }
  throw new Error('the call succeeded');
}

describe('S3 object helpers (against the embedded local stack, through the real S3 client)', () => {
  let stack: LocalStack;
  let clients: AwsClients;
  let bucket: string;

  beforeAll(async () => {
    stack = await startLocalStack({ port: 0 });
    clients = createAwsClients(loadConfig(awsEnvSchema, stack.serviceEnv()), { maxAttempts: 1 });
    bucket = stack.resources.names.uploadsBucket;
  });

  afterAll(async () => {
    clients?.destroy();
    await stack?.stop();
  });

  it('recognises a conditional PutObject refused because the key exists, and nothing else, as a failed precondition', async () => {
    // Prepare
    const put = () =>
      clients.s3.send(
        new PutObjectCommand({ Bucket: bucket, Key: 'conditional/once', Body: 'first', IfNoneMatch: '*' }),
      );
    await put();

    // Act
    const refused = await rejectionOf(put());
    const missing = await rejectionOf(
      clients.s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'no/such-key' })),
    );

    // Assess
    expect(isPreconditionFailed(refused)).toBe(true);
    expect(isMissingObject(refused)).toBe(false);
    expect(isPreconditionFailed(missing)).toBe(false);
    expect(await getObjectText(clients.s3, bucket, 'conditional/once')).toBe('first');
  });

  it('recognises the SDK errors of a GetObject and a HeadObject of a missing key as a missing object', async () => {
    // Act
    const getError = await rejectionOf(
      clients.s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'no/such-key' })),
    );
    const headError = await rejectionOf(
      clients.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'no/such-key' })),
    );

    // Assess: GetObject answers NoSuchKey with a body, HeadObject a bodiless 404 (NotFound).
    expect(getError).toMatchObject({ name: 'NoSuchKey' });
    expect(headError).toMatchObject({ name: 'NotFound' });
    expect(isMissingObject(getError)).toBe(true);
    expect(isMissingObject(headError)).toBe(true);
  });

  it('recognises a GetObject from a bucket that does not exist as a missing object', async () => {
    const error = await rejectionOf(getObjectBytes(clients.s3, 'no-such-bucket-here', 'a-key'));

    expect(isMissingObject(error)).toBe(true);
  });

  it('does not take an unreachable endpoint, a non-error or a refusal for a missing object', async () => {
    // Prepare: a client of a port nothing listens on.
    const unreachable = createAwsClients(
      loadConfig(awsEnvSchema, { AWS_REGION: 'us-east-1', AWS_ENDPOINT_URL: 'http://127.0.0.1:9' }),
      { maxAttempts: 1 },
    );
    try {
      // Act
      const networkError = await rejectionOf(getObjectBytes(unreachable.s3, bucket, 'a-key'));

      // Assess
      expect(isMissingObject(networkError)).toBe(false);
      expect(isMissingObject(undefined)).toBe(false);
      expect(isMissingObject('NoSuchKey')).toBe(false);
      expect(isMissingObject({ name: 'AccessDenied', $metadata: { httpStatusCode: 403 } })).toBe(false);
    } finally {
      unreachable.destroy();
    }
  });

  it('tells whether an object and a bucket exist', async () => {
    // Prepare
    await putObject(clients.s3, bucket, 'exists/one.txt', 'one', 'text/plain');

    // Act / Assess
    expect(await objectExists(clients.s3, bucket, 'exists/one.txt')).toBe(true);
    expect(await objectExists(clients.s3, bucket, 'exists/none.txt')).toBe(false);
    expect(await bucketExists(clients.s3, bucket)).toBe(true);
    expect(await bucketExists(clients.s3, 'no-such-bucket-here')).toBe(false);
  });

  it('puts, reads back, lists and presigns objects', async () => {
    // Prepare
    await putObject(clients.s3, bucket, 'listed/a.bin', Buffer.from([1, 2, 3]), 'application/octet-stream');
    await putObject(clients.s3, bucket, 'listed/b.txt', 'hello', 'text/plain');
    await putObject(clients.s3, bucket, 'elsewhere/c.txt', 'not listed', 'text/plain');

    // Act
    const bytes = await getObjectBytes(clients.s3, bucket, 'listed/a.bin');
    const text = await getObjectText(clients.s3, bucket, 'listed/b.txt');
    const listed = [];
    for await (const object of listObjects(clients.s3, bucket, 'listed/')) listed.push(object);
    const url = await presignedGetUrl(clients.s3, bucket, 'listed/b.txt', 60);
    const fetched = await fetch(url);

    // Assess
    expect([...bytes]).toEqual([1, 2, 3]);
    expect(text).toBe('hello');
    expect(listed.map((object) => [object.key, object.bytes])).toEqual([
      ['listed/a.bin', 3],
      ['listed/b.txt', 5],
    ]);
    expect(listed.every((object) => object.lastModified instanceof Date)).toBe(true);
    expect(new URL(url).searchParams.get('X-Amz-Expires')).toBe('60');
    expect(await fetched.text()).toBe('hello');
  });
});

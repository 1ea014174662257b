import {
  CreateBucketCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  type GetObjectCommandOutput,
  HeadBucketCommand,
  HeadObjectCommand,
  PutObjectCommand,
  type PutObjectCommandInput,
  paginateListObjectsV2,
  type S3Client,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { classifyAwsError, httpStatusOf } from './classify-aws-error.ts';

/*
 * The S3 calls the services make, in one place. Apart from deleteObjects, a failure is thrown as the SDK
 * raised it: the caller names what it was doing (classifyAwsError) and tells a missing object or bucket
 * apart with isMissingObject.
 */

/**
 * True for S3's answer about an object or bucket that does not exist: GetObject's NoSuchKey, HeadObject's
 * and HeadBucket's bodiless NotFound, NoSuchBucket, or any other 404 reply.
 */
export function isMissingObject(error: unknown): boolean {
  if (!error || typeof error !== 'object') return false;
  const { name } = error as { name?: unknown };
  return (
    name === 'NoSuchKey' || name === 'NotFound' || name === 'NoSuchBucket' || httpStatusOf(error) === 404
  );
}

/**
 * True for a conditional write S3 refused: 412 PreconditionFailed (`If-None-Match: *` on a key that
 * exists), or 409 ConditionalRequestConflict while another conditional write to the key is in progress.
 */
export function isPreconditionFailed(error: unknown): boolean {
  const status = httpStatusOf(error);
  return status === 412 || status === 409;
}

/** GetObject's reply, its body not yet read: for callers that stream it or look at its size first. */
export function getObject(s3: S3Client, bucket: string, key: string): Promise<GetObjectCommandOutput> {
  return s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
}

/** The object's bytes, whole in memory; an object without a body is empty. */
export async function getObjectBytes(s3: S3Client, bucket: string, key: string): Promise<Buffer> {
  const reply = await getObject(s3, bucket, key);
  if (!reply.Body) return Buffer.alloc(0);
  return Buffer.from(await reply.Body.transformToByteArray());
}

/** The object's bytes as UTF-8 text; an object without a body is the empty string. */
export async function getObjectText(s3: S3Client, bucket: string, key: string): Promise<string> {
  const reply = await getObject(s3, bucket, key);
  return (await reply.Body?.transformToString('utf8')) ?? '';
}

export async function putObject(
  s3: S3Client,
  bucket: string,
  key: string,
  body: PutObjectCommandInput['Body'],
  contentType?: string,
): Promise<void> {
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: contentType }));
}

/** True when the object exists (HeadObject), false when S3 says it does not. */
export async function objectExists(s3: S3Client, bucket: string, key: string): Promise<boolean> {
  try {
    await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    return true;
  } catch (error) {
    if (isMissingObject(error)) return false;
    throw error;
  }
}

/** True when the bucket exists (HeadBucket), false when S3 says it does not. */
export async function bucketExists(s3: S3Client, bucket: string): Promise<boolean> {
  try {
    await s3.send(new HeadBucketCommand({ Bucket: bucket }));
    return true;
  } catch (error) {
    if (isMissingObject(error)) return false;
    throw error;
  }
}

export async function createBucket(s3: S3Client, bucket: string): Promise<void> {
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
}

export interface ListedObject {
  readonly key: string;
  readonly bytes: number;
  readonly lastModified: Date;
}

/** Every object under `prefix`, page by page (ListObjectsV2, 1000 keys a page). */
export async function* listObjects(
  s3: S3Client,
  bucket: string,
  prefix: string,
): AsyncGenerator<ListedObject> {
  for await (const page of paginateListObjectsV2({ client: s3 }, { Bucket: bucket, Prefix: prefix })) {
    for (const object of page.Contents ?? []) {
      if (object.Key === undefined || object.LastModified === undefined) continue;
      yield { key: object.Key, bytes: object.Size ?? 0, lastModified: object.LastModified };
    }
  }
}

/** A presigned GET URL for the object; signing is local (no request). */
export function presignedGetUrl(
  s3: S3Client,
  bucket: string,
  key: string,
  expiresInSeconds: number,
): Promise<string> {
  return getSignedUrl(s3, new GetObjectCommand({ Bucket: bucket, Key: key }), {
    expiresIn: expiresInSeconds,
  });
}

/** S3's limit of keys per DeleteObjects call. */
const deleteObjectsMaxKeys = 1000;

/**
 * Deletes `keys` from `bucket`: one DeleteObject for a single key, else DeleteObjects 1000 keys a call.
 * A key S3 reports it could not delete fails the call, like any other S3 error (classified, S3 named).
 */
export async function deleteObjects(s3: S3Client, bucket: string, keys: readonly string[]): Promise<void> {
  for (let start = 0; start < keys.length; start += deleteObjectsMaxKeys) {
    const chunk = keys.slice(start, start + deleteObjectsMaxKeys);
    try {
      if (chunk.length === 1 && chunk[0] !== undefined) {
        await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: chunk[0] }));
        continue;
      }
      const reply = await s3.send(
        new DeleteObjectsCommand({
          Bucket: bucket,
          Delete: { Objects: chunk.map((key) => ({ Key: key })), Quiet: true },
        }),
      );
      const kept = reply.Errors ?? [];
      if (kept.length > 0) {
        throw new Error(
          `S3 kept ${kept.length} objects: ${kept.map((e) => `${e.Key} (${e.Code})`).join(', ')}`,
        );
      }
    } catch (error) {
      throw classifyAwsError(error, `deleting ${chunk.length} objects from s3://${bucket}`, 'S3');
    }
  }
}

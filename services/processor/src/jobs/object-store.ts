import { GetObjectCommand, NoSuchKey, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { classifyAwsError } from '@photo-pipeline/shared/aws';
import { PermanentError } from '@photo-pipeline/shared/errors';

export interface ObjectStore {
  /** The object's bytes; a missing object or bucket is OBJECT_MISSING, transient failures retryable. */
  get(bucket: string, key: string): Promise<Buffer>;
  put(bucket: string, key: string, body: Buffer, contentType: string): Promise<void>;
}

function isMissing(error: unknown): boolean {
  if (error instanceof NoSuchKey) return true;
  const name = error instanceof Error ? error.name : '';
  return name === 'NoSuchKey' || name === 'NoSuchBucket' || name === 'NotFound';
}

export function createObjectStore(s3: S3Client): ObjectStore {
  return {
    async get(bucket, key) {
      try {
        const reply = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        if (!reply.Body) return Buffer.alloc(0);
        return Buffer.from(await reply.Body.transformToByteArray());
      } catch (error) {
        if (isMissing(error)) {
          throw new PermanentError(
            'OBJECT_MISSING',
            `the uploaded object s3://${bucket}/${key} does not exist`,
            {
              cause: error,
            },
          );
        }
        throw classifyAwsError(error, `downloading s3://${bucket}/${key}`);
      }
    },
    async put(bucket, key, body, contentType) {
      try {
        await s3.send(
          new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: contentType }),
        );
      } catch (error) {
        throw classifyAwsError(error, `uploading s3://${bucket}/${key}`);
      }
    },
  };
}

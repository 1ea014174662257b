import type { S3Client } from '@aws-sdk/client-s3';
import { classifyAwsError, getObjectBytes, isMissingObject, putObject } from '@photo-pipeline/shared/aws';
import { PermanentError } from '@photo-pipeline/shared/errors';
import type { ObjectStore } from '../core/processor-ports.ts';

export function createObjectStore(s3: S3Client): ObjectStore {
  return {
    async get(bucket, key) {
      try {
        return await getObjectBytes(s3, bucket, key);
      } catch (error) {
        if (isMissingObject(error)) {
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
        await putObject(s3, bucket, key, body, contentType);
      } catch (error) {
        throw classifyAwsError(error, `uploading s3://${bucket}/${key}`);
      }
    },
  };
}

import { HeadBucketCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import {
  classifyAwsError,
  deleteObjects,
  getObjectText,
  isMissingObject,
  isPreconditionFailed,
} from '@photo-pipeline/shared/aws';
import { s3PartBytes, s3PartsInParallel } from '../core/upload/upload-limits.ts';
import type { ObjectStore } from '../core/upload/upload-ports.ts';

export function createObjectStore(s3: S3Client, bucket: string): ObjectStore {
  return {
    bucket,
    async putStream(input) {
      const upload = new Upload({
        client: s3,
        params: {
          Bucket: bucket,
          Key: input.key,
          Body: input.body,
          ContentType: input.contentType,
          Metadata: { ...input.metadata },
        },
        partSize: s3PartBytes,
        queueSize: s3PartsInParallel,
        leavePartsOnError: false,
      });
      try {
        await upload.done();
      } catch (error) {
        throw classifyAwsError(error, `storing s3://${bucket}/${input.key}`, 'S3');
      }
    },
    async putBuffer(input) {
      try {
        await s3.send(
          new PutObjectCommand({
            Bucket: bucket,
            Key: input.key,
            Body: input.body,
            ContentLength: input.body.length,
            ContentType: input.contentType,
            Metadata: { ...input.metadata },
            // With a checksum of our own the SDK computes none (no CRC32 pass over the body), and the
            // shared clients sign with it as the payload hash (see packages/shared/src/aws).
            ChecksumSHA256: Buffer.from(input.sha256, 'hex').toString('base64'),
          }),
        );
      } catch (error) {
        throw classifyAwsError(error, `storing s3://${bucket}/${input.key}`, 'S3');
      }
    },
    async putJson(key, value, options = {}) {
      try {
        await s3.send(
          new PutObjectCommand({
            Bucket: bucket,
            Key: key,
            Body: JSON.stringify(value),
            ContentType: 'application/json',
            ...(options.onlyIfAbsent ? { IfNoneMatch: '*' } : {}),
          }),
        );
        return 'written';
      } catch (error) {
        if (options.onlyIfAbsent && isPreconditionFailed(error)) return 'exists';
        throw classifyAwsError(error, `writing s3://${bucket}/${key}`, 'S3');
      }
    },
    async getJson(key) {
      try {
        return JSON.parse(await getObjectText(s3, bucket, key));
      } catch (error) {
        if (isMissingObject(error)) return undefined;
        throw classifyAwsError(error, `reading s3://${bucket}/${key}`, 'S3');
      }
    },
    deleteKeys(keys) {
      return deleteObjects(s3, bucket, keys);
    },
    async ping() {
      try {
        await s3.send(new HeadBucketCommand({ Bucket: bucket }));
      } catch (error) {
        throw classifyAwsError(error, `checking bucket ${bucket}`, 'S3');
      }
    },
  };
}

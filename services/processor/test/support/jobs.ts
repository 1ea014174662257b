import { createHash } from 'node:crypto';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import {
  type ImageContentType,
  type ImageUploadedV1,
  newImageId,
  objectKeys,
  serializeImageUploaded,
} from '@photo-pipeline/shared/contracts';

export interface TestJob {
  readonly message: ImageUploadedV1;
  readonly bytes: Buffer;
}

export interface SendJobOptions {
  readonly batchId?: string;
  readonly contentType?: ImageContentType;
  readonly originalName?: string;
  /** Leave the object out of S3 (a vanished upload). */
  readonly skipUpload?: boolean;
}

/**
 * Does what the upload API does for one file: stores the bytes under the image's key in the uploads
 * bucket and sends a valid ImageUploaded v1 message.
 */
export async function sendJob(
  clients: { readonly s3: S3Client; readonly sqs: SQSClient },
  env: Readonly<Record<string, string>>,
  bytes: Buffer,
  options: SendJobOptions = {},
): Promise<TestJob> {
  const bucket = env.UPLOADS_BUCKET ?? '';
  const imageId = newImageId();
  const key = objectKeys.original(imageId);
  if (!options.skipUpload) {
    await clients.s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: bytes }));
  }
  const message: ImageUploadedV1 = {
    type: 'ImageUploaded',
    version: 1,
    imageId,
    batchId: options.batchId ?? 'test-batch',
    bucket,
    key,
    contentType: options.contentType ?? 'image/jpeg',
    bytes: bytes.length,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    originalName: options.originalName ?? `${imageId}.jpg`,
    uploadedAt: new Date().toISOString(),
  };
  await clients.sqs.send(
    new SendMessageCommand({ QueueUrl: env.JOBS_QUEUE_URL, MessageBody: serializeImageUploaded(message) }),
  );
  return { message, bytes };
}

import { createHash } from 'node:crypto';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { createAwsClients } from '@photo-pipeline/shared/aws';
import { newBatchId, newImageId, objectKeys, serializeImageUploaded } from '@photo-pipeline/shared/contracts';
import { jpegBytes } from '@photo-pipeline/test-support/image-builders';
import { apiAwsClientOptions } from '../src/entry/create-deps.ts';
import { runLoad, runLoadMeasuringCpu } from './load-loop.ts';

/**
 * The ceiling's load, in its own process like the API: each request puts the JPEG straight into S3 with
 * the SDK and sends one ImageUploaded message, no HTTP in front. Settings come as one JSON argument;
 * the LoadResult is printed as JSON.
 */
const settings = JSON.parse(process.argv[2] ?? '{}') as {
  endpoint: string;
  region: string;
  bucket: string;
  queueUrl: string;
  bytes: number;
  /** The API's MAX_CONCURRENT_UPLOADS in the benchmark, which sizes its AWS clients. */
  maxConcurrentUploads: number;
  concurrency: number;
  durationMs: number;
  warmUpMs: number;
};
// The same client factory and options as the API (create-deps.ts), so both send the same requests.
const aws = createAwsClients(
  { AWS_REGION: settings.region, AWS_ENDPOINT_URL: settings.endpoint, S3_FORCE_PATH_STYLE: true },
  {
    ...apiAwsClientOptions(settings.maxConcurrentUploads),
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  },
);
const { s3, sqs } = aws;
const image = jpegBytes({ width: 1600, height: 1200, bytes: settings.bytes });

const work = async () => {
  // Every file's digest is computed, as every writer of an ImageUploaded message must (the API hashes
  // each upload as it streams); precomputing it once would flatter the ceiling.
  const digest = createHash('sha256').update(image).digest();
  const sha256 = digest.toString('hex');
  const imageId = newImageId();
  const key = objectKeys.original(imageId);
  // Written as the API writes a file that fits one part: one PutObject with its SHA-256 as checksum.
  await s3.send(
    new PutObjectCommand({
      Bucket: settings.bucket,
      Key: key,
      Body: image,
      ContentLength: image.length,
      ContentType: 'image/jpeg',
      Metadata: { 'image-id': imageId, 'original-name': 'bench.jpg' },
      ChecksumSHA256: digest.toString('base64'),
    }),
  );
  const message = serializeImageUploaded({
    type: 'ImageUploaded',
    version: 1,
    imageId,
    batchId: newBatchId(),
    bucket: settings.bucket,
    key,
    contentType: 'image/jpeg',
    bytes: image.length,
    sha256,
    originalName: 'bench.jpg',
    uploadedAt: new Date().toISOString(),
  });
  await sqs.send(new SendMessageCommand({ QueueUrl: settings.queueUrl, MessageBody: message }));
};

const load = { concurrency: settings.concurrency, bytesPerRequest: image.length };
await runLoad({ ...load, durationMs: settings.warmUpMs }, work);
const result = await runLoadMeasuringCpu(process.pid, { ...load, durationMs: settings.durationMs }, work);
aws.destroy();
process.stdout.write(`${JSON.stringify(result)}\n`);

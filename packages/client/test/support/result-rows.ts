import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { AwsClients } from '@photo-pipeline/shared/aws';
import { objectKeys, type ResultRow, resultRowSchema, uploadDayOf } from '@photo-pipeline/shared/contracts';

/** Writes the result row the processor would write for an uploaded image (SUCCEEDED or FAILED). */
export async function writeResultRow(
  aws: AwsClients,
  table: string,
  image: { imageId: string; batchId: string; bucket: string; bytes: number; sha256: string },
  status: 'SUCCEEDED' | 'FAILED',
): Promise<ResultRow> {
  const uploadedAt = new Date().toISOString();
  const base = {
    schemaVersion: 1 as const,
    imageId: image.imageId,
    batchId: image.batchId,
    uploadDay: uploadDayOf(uploadedAt),
    originalName: 'test.jpg',
    input: {
      bucket: image.bucket,
      key: objectKeys.original(image.imageId),
      bytes: image.bytes,
      sha256: image.sha256,
      contentType: 'image/jpeg',
    },
    uploadedAt,
    processedAt: uploadedAt,
    attempts: 1,
    timings: { totalMs: 12 },
  };
  const row = resultRowSchema.parse(
    status === 'SUCCEEDED'
      ? {
          ...base,
          status,
          width: 4,
          height: 2,
          areaPx: 8,
          foregroundPx: 2,
          foregroundRatio: 0.25,
          output: {
            bucket: 'processed',
            key: objectKeys.processed(image.imageId, 'jpg'),
            bytes: 10,
            sha256: image.sha256,
            contentType: 'image/jpeg',
          },
          model: { name: 'test', version: '1' },
          executionProvider: 'cpu',
        }
      : { ...base, status, errorCode: 'IMAGE_CORRUPT', errorMessage: 'the image cannot be decoded' },
  );
  await aws.documents.send(new PutCommand({ TableName: table, Item: row }));
  return row;
}

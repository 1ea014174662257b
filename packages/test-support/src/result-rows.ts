import { createHash } from 'node:crypto';
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { AwsClients } from '@photo-pipeline/shared/aws';
import { type ImageId, type ResultRow, uploadDayOf } from '@photo-pipeline/shared/contracts';

const sha = (text: string) => createHash('sha256').update(text).digest('hex');

/** A valid result row of this image, batch, upload time and status, as the processor writes it. */
export function rowFor(
  imageId: ImageId,
  batchId: string,
  uploadedAt: Date,
  status: 'SUCCEEDED' | 'FAILED',
): ResultRow {
  const base = {
    schemaVersion: 1 as const,
    imageId,
    batchId,
    uploadDay: uploadDayOf(uploadedAt.toISOString()),
    originalName: `${imageId}.png`,
    input: {
      bucket: 'photo-pipeline-uploads',
      key: `originals/${imageId}`,
      bytes: 100,
      sha256: sha(imageId),
      contentType: 'image/png',
    },
    uploadedAt: uploadedAt.toISOString(),
    processedAt: new Date(uploadedAt.getTime() + 500).toISOString(),
    attempts: 1,
    timings: { totalMs: 42 },
  };
  if (status === 'FAILED') {
    return { ...base, status, errorCode: 'IMAGE_CORRUPT', errorMessage: 'the image cannot be decoded' };
  }
  return {
    ...base,
    status,
    width: 4,
    height: 3,
    areaPx: 12,
    foregroundPx: 6,
    foregroundRatio: 0.5,
    output: {
      bucket: 'photo-pipeline-processed',
      key: `processed/${imageId}.png`,
      bytes: 90,
      sha256: sha(`out${imageId}`),
      contentType: 'image/png',
    },
    model: { name: 'invert', version: '1' },
    executionProvider: 'cpu',
  };
}

/** Writes rows into the results table, 25 to a request. */
export async function putRowsInto(
  clients: AwsClients,
  table: string,
  rows: readonly ResultRow[],
): Promise<void> {
  for (let start = 0; start < rows.length; start += 25) {
    await clients.documents.send(
      new BatchWriteCommand({
        RequestItems: {
          [table]: rows.slice(start, start + 25).map((row) => ({ PutRequest: { Item: row } })),
        },
      }),
    );
  }
}

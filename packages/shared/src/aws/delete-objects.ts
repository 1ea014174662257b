import { DeleteObjectCommand, DeleteObjectsCommand, type S3Client } from '@aws-sdk/client-s3';
import { classifyAwsError } from './classify-aws-error.ts';

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

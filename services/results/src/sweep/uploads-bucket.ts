import {
  DeleteObjectsCommand,
  GetObjectCommand,
  paginateListObjectsV2,
  type S3Client,
} from '@aws-sdk/client-s3';
import { classifyAwsError } from '@photo-pipeline/shared/aws';
import { idempotencyMarkerSchema, idempotencyPrefix } from '@photo-pipeline/shared/contracts';
import { PermanentError } from '@photo-pipeline/shared/errors';

export interface ListedObject {
  readonly key: string;
  readonly bytes: number;
  readonly lastModified: Date;
}

/** Every object under `prefix`, page by page. */
export async function* listObjects(
  s3: S3Client,
  bucket: string,
  prefix: string,
): AsyncGenerator<ListedObject> {
  try {
    for await (const page of paginateListObjectsV2({ client: s3 }, { Bucket: bucket, Prefix: prefix })) {
      for (const object of page.Contents ?? []) {
        if (object.Key === undefined || object.LastModified === undefined) continue;
        yield { key: object.Key, bytes: object.Size ?? 0, lastModified: object.LastModified };
      }
    }
  } catch (error) {
    throw classifyAwsError(error, `listing s3://${bucket}/${prefix}`, 'S3');
  }
}

/**
 * The image ids the API's Idempotency-Key markers still hold: a marker left `unsent` or `queueing` keeps
 * its files for a retry that sends their messages, so they are not orphans while it exists. A marker
 * that cannot be read stops the sweep (PermanentError): what it holds cannot be known.
 */
export async function imageIdsInMarkers(s3: S3Client, bucket: string): Promise<Set<string>> {
  const imageIds = new Set<string>();
  for await (const object of listObjects(s3, bucket, idempotencyPrefix)) {
    let text: string;
    try {
      const reply = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: object.key }));
      text = (await reply.Body?.transformToString('utf8')) ?? '';
    } catch (error) {
      throw classifyAwsError(error, `reading s3://${bucket}/${object.key}`, 'S3');
    }
    const marker = idempotencyMarkerSchema.safeParse(parseJson(text));
    if (!marker.success) {
      throw new PermanentError(
        'INTERNAL',
        `idempotency marker s3://${bucket}/${object.key} does not match its schema; nothing was deleted`,
      );
    }
    for (const message of marker.data.messages) imageIds.add(message.imageId);
  }
  return imageIds;
}

/** Deletes `keys` (1000 a call, as S3 allows); throws when S3 keeps any of them. */
export async function deleteObjects(s3: S3Client, bucket: string, keys: readonly string[]): Promise<void> {
  for (let start = 0; start < keys.length; start += 1000) {
    const chunk = keys.slice(start, start + 1000);
    try {
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

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

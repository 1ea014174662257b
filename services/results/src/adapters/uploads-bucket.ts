import {
  type AwsClients,
  classifyAwsError,
  deleteObjects,
  getObjectText,
  type ListedObject,
  listObjects as listBucket,
} from '@photo-pipeline/shared/aws';
import { idempotencyMarkerSchema, idempotencyPrefix, objectKeys } from '@photo-pipeline/shared/contracts';
import { PermanentError } from '@photo-pipeline/shared/errors';
import type { UploadsInventory } from '../core/results-ports.ts';

/** The uploads bucket's originals and Idempotency-Key markers, listed and read through S3. */
export function createUploadsInventory(s3: AwsClients['s3'], bucket: string): UploadsInventory {
  return {
    originals: () => listObjects(s3, bucket, objectKeys.originalsPrefix),
    imageIdsHeldByMarkers: () => imageIdsInMarkers(s3, bucket),
    deleteObjects: (keys) => deleteObjects(s3, bucket, keys),
  };
}

/** Every object under `prefix`, page by page. */
async function* listObjects(
  s3: AwsClients['s3'],
  bucket: string,
  prefix: string,
): AsyncGenerator<ListedObject> {
  try {
    yield* listBucket(s3, bucket, prefix);
  } catch (error) {
    throw classifyAwsError(error, `listing s3://${bucket}/${prefix}`, 'S3');
  }
}

/**
 * The image ids the API's Idempotency-Key markers still hold: a marker left `unsent` or `queueing` keeps
 * its files for a retry that sends their messages, so they are not orphans while it exists. A marker
 * that cannot be read stops the sweep (PermanentError): what it holds cannot be known.
 */
async function imageIdsInMarkers(s3: AwsClients['s3'], bucket: string): Promise<Set<string>> {
  const imageIds = new Set<string>();
  for await (const object of listObjects(s3, bucket, idempotencyPrefix)) {
    let text: string;
    try {
      text = await getObjectText(s3, bucket, object.key);
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

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

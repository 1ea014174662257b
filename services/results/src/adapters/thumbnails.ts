import { type AwsClients, getObject, isMissingObject } from '@photo-pipeline/shared/aws';
import type { ResultRow } from '@photo-pipeline/shared/contracts';
import pLimit from 'p-limit';
import sharp from 'sharp';
import type { ImageThumbnails, Thumbnail, ThumbnailMaker, ThumbnailRequest } from '../core/results-ports.ts';

export interface ThumbnailLimits {
  /** Objects downloaded and resized at once. */
  readonly concurrency: number;
  /** Objects larger than this are not downloaded for a thumbnail. */
  readonly maxSourceBytes: number;
}

const thumbnailDefaults: ThumbnailLimits = { concurrency: 4, maxSourceBytes: 64 * 1024 * 1024 };

type ThumbnailOptions = ThumbnailLimits & ThumbnailRequest;

/** Thumbnails made with sharp from the original, processed and mask objects in S3. */
export function createThumbnailMaker(s3: AwsClients['s3'], limits = thumbnailDefaults): ThumbnailMaker {
  return { thumbnailsOf: (rows, request) => makeThumbnails(s3, rows, { ...limits, ...request }) };
}

/** Before/after (and mask) thumbnails of each row, from the original, processed and mask objects. */
async function makeThumbnails(
  s3: AwsClients['s3'],
  rows: readonly ResultRow[],
  options: ThumbnailOptions,
): Promise<Map<string, ImageThumbnails>> {
  const limit = pLimit(options.concurrency);
  let done = 0;
  const entries = await Promise.all(
    rows.map((row) =>
      limit(async () => {
        const before = await thumbnailOf(s3, row.input, options);
        const after = row.status === 'SUCCEEDED' ? await thumbnailOf(s3, row.output, options) : undefined;
        const mask =
          row.status === 'SUCCEEDED' && row.mask ? await thumbnailOf(s3, row.mask, options) : undefined;
        done += 1;
        options.progress.update(`thumbnails: ${done}/${rows.length}`);
        const thumbnails: ImageThumbnails = { before, ...(after && { after }), ...(mask && { mask }) };
        return [row.imageId, thumbnails] as const;
      }),
    ),
  );
  return new Map(entries);
}

async function thumbnailOf(
  s3: AwsClients['s3'],
  location: { readonly bucket: string; readonly key: string },
  options: ThumbnailOptions,
): Promise<Thumbnail> {
  let bytes: Uint8Array;
  try {
    const object = await getObject(s3, location.bucket, location.key);
    if ((object.ContentLength ?? 0) > options.maxSourceBytes) {
      object.Body?.transformToWebStream().cancel();
      return { missing: `object is over ${options.maxSourceBytes / 1024 / 1024} MiB` };
    }
    if (!object.Body) return { missing: 'object is empty' };
    bytes = await object.Body.transformToByteArray();
  } catch (error) {
    // A report still helps without one picture: say why it is missing instead of failing the report.
    if (isMissingObject(error)) return { missing: 'object not found' };
    return { missing: `could not read object (${error instanceof Error ? error.name : 'Error'})` };
  }
  try {
    const { data, info } = await sharp(bytes, { failOn: 'none' })
      .rotate()
      .resize(options.sizePx, options.sizePx, { fit: 'inside', withoutEnlargement: true })
      .flatten({ background: '#ffffff' })
      .jpeg({ quality: 72, mozjpeg: true })
      .toBuffer({ resolveWithObject: true });
    return {
      dataUri: `data:image/jpeg;base64,${data.toString('base64')}`,
      width: info.width,
      height: info.height,
    };
  } catch {
    return { missing: 'not a decodable image' };
  }
}

import { type AwsClients, getObject, isMissingObject } from '@photo-pipeline/shared/aws';
import type { ResultRow } from '@photo-pipeline/shared/contracts';
import sharp from 'sharp';
import type { Progress } from '../edge/output/progress.ts';

/** A thumbnail as an embeddable data URI, or why there is none (shown in the report instead). */
export type Thumbnail =
  | { readonly dataUri: string; readonly width: number; readonly height: number }
  | { readonly missing: string };

export interface ImageThumbnails {
  readonly before: Thumbnail;
  /** Absent for FAILED images, which have no processed output. */
  readonly after?: Thumbnail;
  /** The foreground mask, for images processed by a model with a mask output. */
  readonly mask?: Thumbnail;
}

export interface ThumbnailOptions {
  readonly sizePx: number;
  readonly concurrency: number;
  /** Objects larger than this are not downloaded for a thumbnail. */
  readonly maxSourceBytes: number;
  readonly progress: Progress;
}

export const thumbnailDefaults = { concurrency: 4, maxSourceBytes: 64 * 1024 * 1024 } as const;

/** Before/after (and mask) thumbnails of each row, from the original, processed and mask objects. */
export async function makeThumbnails(
  clients: AwsClients,
  rows: readonly ResultRow[],
  options: ThumbnailOptions,
): Promise<Map<string, ImageThumbnails>> {
  const thumbnails = new Map<string, ImageThumbnails>();
  const queue = rows.values();
  let done = 0;
  const worker = async () => {
    for (const row of queue) {
      const before = await thumbnailOf(clients, row.input, options);
      const after = row.status === 'SUCCEEDED' ? await thumbnailOf(clients, row.output, options) : undefined;
      const mask =
        row.status === 'SUCCEEDED' && row.mask ? await thumbnailOf(clients, row.mask, options) : undefined;
      thumbnails.set(row.imageId, { before, ...(after && { after }), ...(mask && { mask }) });
      done += 1;
      options.progress.update(`thumbnails: ${done}/${rows.length}`);
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency, rows.length) }, worker));
  return thumbnails;
}

async function thumbnailOf(
  clients: AwsClients,
  location: { readonly bucket: string; readonly key: string },
  options: ThumbnailOptions,
): Promise<Thumbnail> {
  let bytes: Uint8Array;
  try {
    const object = await getObject(clients.s3, location.bucket, location.key);
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

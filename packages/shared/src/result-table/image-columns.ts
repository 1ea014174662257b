import { type ImageStatus, imageStatusSchema, type ResultRow } from '../contracts/result-row.ts';
import type { TableColumn } from './text-table.ts';

/**
 * One image as the tables show it: a row, or a status with the row when there is one (the results
 * store's ImageStatusEntry, or the upload client's outcome of a wait).
 */
export type ImageView =
  | ResultRow
  | { readonly imageId: string; readonly status: ImageStatus; readonly row?: ResultRow | undefined };

export function rowOf(view: ImageView): ResultRow | undefined {
  return 'schemaVersion' in view ? view : view.row;
}

export function s3Uri(location: { readonly bucket: string; readonly key: string }): string {
  return `s3://${location.bucket}/${location.key}`;
}

const statusDetail: Readonly<Record<string, string>> = {
  PENDING: 'uploaded, no result yet',
  UNKNOWN: 'no upload with this id',
};

const succeeded = (view: ImageView, show: (row: Extract<ResultRow, { status: 'SUCCEEDED' }>) => string) => {
  const row = rowOf(view);
  return row?.status === 'SUCCEEDED' ? show(row) : '';
};

/**
 * The columns of `results get|batch|list` and of `upload --wait`'s closing table. On a narrow terminal
 * the output, file and batch cells are shortened (names in the middle, so the extension stays) and the
 * area, time and size columns are left out, in that order; the image id is never cut.
 */
export const imageTableColumns: readonly TableColumn<ImageView>[] = [
  { header: 'IMAGE ID', value: (view) => view.imageId },
  {
    header: 'FILE',
    value: (view) => rowOf(view)?.originalName ?? '',
    maxWidth: 40,
    minWidth: 10,
    shrinkOrder: 2,
    cut: 'middle',
  },
  {
    header: 'BATCH',
    value: (view) => rowOf(view)?.batchId ?? '',
    maxWidth: 40,
    minWidth: 8,
    shrinkOrder: 3,
    cut: 'middle',
  },
  { header: 'STATUS', value: (view) => view.status },
  {
    header: 'SIZE',
    align: 'right',
    dropOrder: 3,
    value: (view) => succeeded(view, (row) => `${row.width}x${row.height}`),
  },
  {
    header: 'AREA PX',
    align: 'right',
    dropOrder: 1,
    value: (view) => succeeded(view, (row) => String(row.areaPx)),
  },
  {
    header: 'FG %',
    align: 'right',
    value: (view) => succeeded(view, (row) => (row.foregroundRatio * 100).toFixed(1)),
  },
  {
    header: 'MS',
    align: 'right',
    dropOrder: 2,
    value: (view) => {
      const row = rowOf(view);
      return row ? String(Math.round(row.timings.totalMs)) : '';
    },
  },
  {
    header: 'RESULT',
    maxWidth: 90,
    minWidth: 12,
    shrinkOrder: 1,
    value: (view) => {
      const row = rowOf(view);
      if (!row) return statusDetail[view.status] ?? '';
      return row.status === 'SUCCEEDED' ? s3Uri(row.output) : `${row.errorCode}: ${row.errorMessage}`;
    },
  },
];

/** What each column means, for --help. */
export const imageColumnsHelp = `Table columns:
  IMAGE ID        the image's id (a ULID: ids sort by upload time), as the upload API returned it
  FILE            the uploaded file's name (display only)
  BATCH           the batch id the client gave or the API made
  STATUS          SUCCEEDED, FAILED, PENDING (uploaded, no result yet) or UNKNOWN (no such upload)
  SIZE            width x height in pixels, after EXIF orientation
  AREA PX         width x height
  FG %            foreground ratio: the share of pixels the model's mask counts as foreground
  MS              processing time of the image, download to upload, in milliseconds
  RESULT          the processed image (s3://bucket/key), or the error code and message
On a terminal the table fits its width (or COLUMNS): long cells end in "…", and AREA PX, MS and SIZE
are left out when there is no room. --json and --csv always carry every field.`;

/** Counts by status, every status present (zeros included) so scripts can rely on the keys. */
export function countByStatus(
  views: readonly { readonly status: ImageStatus }[],
): Record<ImageStatus, number> {
  const counts = Object.fromEntries(imageStatusSchema.options.map((status) => [status, 0])) as Record<
    ImageStatus,
    number
  >;
  for (const view of views) counts[view.status] += 1;
  return counts;
}

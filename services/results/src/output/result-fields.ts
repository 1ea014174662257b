import type { ResultRow } from '@photo-pipeline/shared/contracts';
import type { ImageStatusEntry } from '@photo-pipeline/shared/results-store';
import type { CsvCell } from './csv.ts';
import type { TableColumn } from './table.ts';

/** One image as the CLI shows it: the status, plus its row when there is one. */
export type ImageView = ImageStatusEntry | ResultRow;

function rowOf(view: ImageView): ResultRow | undefined {
  return 'row' in view ? view.row : 'schemaVersion' in view ? view : undefined;
}

export const csvHeader = [
  'imageId',
  'batchId',
  'status',
  'originalName',
  'width',
  'height',
  'areaPx',
  'foregroundPx',
  'foregroundRatio',
  'outputUri',
  'maskUri',
  'inputBytes',
  'outputBytes',
  'modelName',
  'modelVersion',
  'executionProvider',
  'attempts',
  'uploadedAt',
  'processedAt',
  'totalMs',
  'downloadMs',
  'decodeMs',
  'inferenceMs',
  'encodeMs',
  'uploadMs',
  'errorCode',
  'errorMessage',
] as const;

export function csvCells(view: ImageView): CsvCell[] {
  const row = rowOf(view);
  if (!row)
    return csvHeader.map((name) =>
      name === 'imageId' ? view.imageId : name === 'status' ? view.status : '',
    );
  const ok = row.status === 'SUCCEEDED' ? row : undefined;
  const failed = row.status === 'FAILED' ? row : undefined;
  const t = row.timings;
  return [
    row.imageId,
    row.batchId,
    row.status,
    row.originalName,
    ok?.width,
    ok?.height,
    ok?.areaPx,
    ok?.foregroundPx,
    ok?.foregroundRatio,
    ok ? s3Uri(ok.output) : '',
    ok?.mask ? s3Uri(ok.mask) : '',
    row.input.bytes,
    ok?.output.bytes,
    ok?.model.name,
    ok?.model.version,
    row.executionProvider,
    row.attempts,
    row.uploadedAt,
    row.processedAt,
    t.totalMs,
    t.downloadMs,
    t.decodeMs,
    t.inferenceMs,
    t.encodeMs,
    t.uploadMs,
    failed?.errorCode,
    failed?.errorMessage,
  ];
}

/** JSON for scripts: the status and, when there is a row, every field of it. */
export function jsonOf(view: ImageView): Record<string, unknown> {
  const row = rowOf(view);
  return row ? { ...row } : { imageId: view.imageId, status: view.status };
}

const statusDetail: Record<string, string> = {
  PENDING: 'uploaded, no result yet',
  UNKNOWN: 'no upload with this id',
};

export const imageTableColumns: readonly TableColumn<ImageView>[] = [
  { header: 'IMAGE ID', value: (view) => view.imageId },
  { header: 'STATUS', value: (view) => view.status },
  {
    header: 'SIZE',
    align: 'right',
    value: (view) => {
      const row = rowOf(view);
      return row?.status === 'SUCCEEDED' ? `${row.width}x${row.height}` : '';
    },
  },
  {
    header: 'AREA PX',
    align: 'right',
    value: (view) => {
      const row = rowOf(view);
      return row?.status === 'SUCCEEDED' ? String(row.areaPx) : '';
    },
  },
  {
    header: 'FG %',
    align: 'right',
    value: (view) => {
      const row = rowOf(view);
      return row?.status === 'SUCCEEDED' ? (row.foregroundRatio * 100).toFixed(1) : '';
    },
  },
  {
    header: 'MS',
    align: 'right',
    value: (view) => {
      const row = rowOf(view);
      return row ? String(Math.round(row.timings.totalMs)) : '';
    },
  },
  {
    header: 'OUTPUT / ERROR',
    maxWidth: 90,
    value: (view) => {
      const row = rowOf(view);
      if (!row) return statusDetail[view.status] ?? '';
      return row.status === 'SUCCEEDED' ? s3Uri(row.output) : `${row.errorCode}: ${row.errorMessage}`;
    },
  },
];

export function s3Uri(location: { readonly bucket: string; readonly key: string }): string {
  return `s3://${location.bucket}/${location.key}`;
}

/** Counts by status, every status present (zeros included) so scripts can rely on the keys. */
export function countByStatus(
  views: readonly ImageView[],
): Record<'SUCCEEDED' | 'FAILED' | 'PENDING' | 'UNKNOWN', number> {
  const counts = { SUCCEEDED: 0, FAILED: 0, PENDING: 0, UNKNOWN: 0 };
  for (const view of views) counts[view.status] += 1;
  return counts;
}

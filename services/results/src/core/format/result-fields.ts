import { type ImageView, rowOf, s3Uri } from '@photo-pipeline/shared/result-table';
import type { CsvCell } from './csv.ts';

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

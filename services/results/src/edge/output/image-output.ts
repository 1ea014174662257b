import type { ImageStatus } from '@photo-pipeline/shared/contracts';
import {
  countByStatus,
  type ImageView,
  imageTableColumns,
  renderTable,
} from '@photo-pipeline/shared/result-table';
import { toCsv } from '../../core/format/csv.ts';
import { csvCells, csvHeader, jsonOf } from '../../core/format/result-fields.ts';
import { type OutputFormat, toJson } from './output-format.ts';

/** What was asked for, echoed in the JSON document: image ids (get), a batch (batch) or a time range (list). */
export type ImagesQuery =
  | { readonly imageIds: readonly string[] }
  | { readonly batchId: string }
  | { readonly since: string; readonly until: string; readonly status: string | null };

/**
 * The one JSON shape of `get`, `batch` and `list`: the command, what it was asked, counts by status
 * (every status, zeros included), the images (status plus every field of the row) and the cursor of
 * the next page (null on the last).
 */
export interface ImagesDocument {
  readonly command: 'get' | 'batch' | 'list';
  readonly query: ImagesQuery;
  readonly counts: Readonly<Record<'total' | ImageStatus, number>>;
  readonly images: readonly Record<string, unknown>[];
  readonly nextCursor: string | null;
}

export function imagesDocument(
  command: ImagesDocument['command'],
  query: ImagesQuery,
  views: readonly ImageView[],
  nextCursor: string | undefined,
): ImagesDocument {
  return {
    command,
    query,
    counts: { total: views.length, ...countByStatus(views) },
    images: views.map(jsonOf),
    nextCursor: nextCursor ?? null,
  };
}

/** Images in the chosen format: the JSON document, CSV (one line per image) or the table fitted to `width`. */
export function formatImages(
  format: OutputFormat,
  document: ImagesDocument,
  views: readonly ImageView[],
  width: number | undefined,
): string {
  if (format === 'json') return toJson(document);
  if (format === 'csv') return toCsv(csvHeader, views.map(csvCells));
  return views.length > 0 ? renderTable(imageTableColumns, views, { width }) : '';
}

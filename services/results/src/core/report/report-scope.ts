import type { BatchId } from '@photo-pipeline/shared/contracts';
import type { RowStatusFilter } from '@photo-pipeline/shared/results-store';

/** What a report covers: one batch, or every result uploaded in a time range. */
export type ReportScope =
  | { readonly kind: 'batch'; readonly batchId: BatchId }
  | {
      readonly kind: 'range';
      readonly since: Date;
      readonly until: Date;
      readonly status?: RowStatusFilter | undefined;
    };

export type ReportScopeJson =
  | { readonly kind: 'batch'; readonly batchId: string }
  | {
      readonly kind: 'range';
      readonly since: string;
      readonly until: string;
      readonly status: string | null;
    };

export function scopeJson(scope: ReportScope): ReportScopeJson {
  return scope.kind === 'batch'
    ? { kind: 'batch', batchId: scope.batchId }
    : {
        kind: 'range',
        since: scope.since.toISOString(),
        until: scope.until.toISOString(),
        status: scope.status ?? null,
      };
}

/** A short, key-safe name for the scope, used in report folder names. */
export function scopeSlug(scope: ReportScope): string {
  if (scope.kind === 'batch') return `batch-${scope.batchId}`;
  const status = scope.status ? `-${scope.status.toLowerCase()}` : '';
  return `range-${compactTime(scope.since)}-${compactTime(scope.until)}${status}`;
}

export function describeScope(scope: ReportScope): string {
  if (scope.kind === 'batch') return `batch ${scope.batchId}`;
  const status = scope.status ? ` (${scope.status} only)` : '';
  return `uploads from ${scope.since.toISOString()} to ${scope.until.toISOString()}${status}`;
}

/** A heading people read: `Batch holiday`, `Uploads 2026-11-21 00:00 – 2026-11-22 00:00 UTC (FAILED only)`. */
export function reportTitle(scope: ReportScope): string {
  if (scope.kind === 'batch') return `Batch ${scope.batchId}`;
  const minute = (time: Date) => time.toISOString().slice(0, 16).replace('T', ' ');
  const status = scope.status ? ` (${scope.status} only)` : '';
  return `Uploads ${minute(scope.since)} – ${minute(scope.until)} UTC${status}`;
}

/** 2026-11-21T23:10:05.123Z -> 20261121T231005Z */
export function compactTime(time: Date): string {
  return time
    .toISOString()
    .replaceAll(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
}

import type { ResultRow } from '@photo-pipeline/shared/contracts';

/**
 * Which rows get thumbnails when there are more rows than `max`: failures are what a person looks for,
 * so up to a third of the places go to FAILED rows, the rest to the first rows; kept in upload order.
 */
export function pickPictured(rows: readonly ResultRow[], max: number): ResultRow[] {
  if (rows.length <= max) return [...rows];
  const failed = rows.filter((row) => row.status === 'FAILED').slice(0, Math.floor(max / 3));
  const chosen = new Set<ResultRow>(failed);
  for (const row of rows) {
    if (chosen.size >= max) break;
    chosen.add(row);
  }
  return rows.filter((row) => chosen.has(row));
}

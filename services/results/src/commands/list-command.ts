import type { ResultRow } from '@photo-pipeline/shared/contracts';
import { parsePositiveInteger, parseStatus, parseTimeRange } from '../args/parse-args.ts';
import { toCsv } from '../output/csv.ts';
import { type OutputOptions, outputFormatOf, toJson } from '../output/output-format.ts';
import { countByStatus, csvCells, csvHeader, imageTableColumns, jsonOf } from '../output/result-fields.ts';
import { renderTable } from '../output/table.ts';
import type { ResultsDeps } from '../results-deps.ts';
import { type CommandIo, exitCodes } from './command-io.ts';

export interface ListOptions extends OutputOptions {
  readonly since?: string;
  readonly until?: string;
  readonly status?: string;
  readonly limit?: string;
  readonly cursor?: string;
  readonly oldestFirst?: boolean;
}

export const listDefaults = { since: '24h', limit: 50 } as const;

/** `list`: recent results by upload time (newest first), optionally of one status. */
export async function listCommand(
  deps: Pick<ResultsDeps, 'store'>,
  io: CommandIo,
  options: ListOptions,
): Promise<number> {
  const format = outputFormatOf(options);
  const { since, until } = parseTimeRange(options.since, options.until, io.now(), listDefaults.since);
  const status = parseStatus(options.status);
  const limit = parsePositiveInteger('--limit', options.limit, 1000) ?? listDefaults.limit;

  const page = await deps.store.listUploadedBetween({
    since,
    until,
    status,
    pageSize: limit,
    cursor: options.cursor,
    order: options.oldestFirst ? 'oldest' : 'newest',
  });
  const rows: readonly ResultRow[] = page.rows;
  const range = { since: since.toISOString(), until: until.toISOString(), status: status ?? null };

  if (format === 'json') {
    io.stdout.write(
      toJson({ ...range, count: rows.length, images: rows.map(jsonOf), nextCursor: page.nextCursor ?? null }),
    );
  } else if (format === 'csv') {
    io.stdout.write(toCsv(csvHeader, rows.map(csvCells)));
  } else if (rows.length > 0) {
    const counts = countByStatus(rows);
    io.stdout.write(renderTable(imageTableColumns, rows));
    io.stdout.write(`${rows.length} result(s): ${counts.SUCCEEDED} SUCCEEDED, ${counts.FAILED} FAILED\n`);
  }
  if (rows.length === 0) {
    io.stderr.write(
      `no results uploaded from ${range.since} to ${range.until}${status ? ` with status ${status}` : ''}\n`,
    );
  }
  if (page.nextCursor !== undefined)
    io.stderr.write(`more results: continue with --cursor ${page.nextCursor}\n`);
  return exitCodes.ok;
}

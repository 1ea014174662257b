import type { ResultRow } from '@photo-pipeline/shared/contracts';
import type { ResultsDeps } from '../../entry/results-deps.ts';
import { formatImages, imagesDocument } from '../output/image-output.ts';
import { type OutputOptions, outputFormatOf } from '../output/output-format.ts';
import { type CommandIo, exitCodes, tableWidth } from './command-io.ts';
import { parsePositiveInteger, parseStatus, parseTimeRange } from './parse-args.ts';

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
  deps: Pick<ResultsDeps, 'store' | 'config'>,
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

  const document = imagesDocument('list', range, rows, page.nextCursor);
  io.stdout.write(formatImages(format, document, rows, tableWidth(deps.config, io)));
  if (format === 'table' && rows.length > 0) {
    io.stdout.write(
      `${rows.length} result(s): ${document.counts.SUCCEEDED} SUCCEEDED, ${document.counts.FAILED} FAILED\n`,
    );
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

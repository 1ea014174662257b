import type { ResultRow } from '@photo-pipeline/shared/contracts';
import type { ResultsDeps } from '../../entry/results-deps.ts';
import { formatImages, imagesDocument } from '../output/image-output.ts';
import { type OutputOptions, outputFormatOf } from '../output/output-format.ts';
import { streamProgress } from '../output/progress.ts';
import { type CommandIo, exitCodes, tableWidth } from './command-io.ts';
import { parseBatchId, parsePositiveInteger } from './parse-args.ts';

export interface BatchOptions extends OutputOptions {
  readonly pageSize?: string;
  readonly limit?: string;
  readonly cursor?: string;
}

/**
 * `batch <batchId>`: the batch's rows in upload order, read page by page through the batch index, with
 * counts by status. `--limit` stops early and hands out a cursor to continue. Exit 3 when the batch has
 * no rows at all.
 */
export async function batchCommand(
  deps: Pick<ResultsDeps, 'store' | 'config'>,
  io: CommandIo,
  batchIdArg: string,
  options: BatchOptions,
): Promise<number> {
  const format = outputFormatOf(options);
  const batchId = parseBatchId(batchIdArg);
  const pageSize = parsePositiveInteger('--page-size', options.pageSize, 1000);
  const limit = parsePositiveInteger('--limit', options.limit, 1_000_000);
  const progress = streamProgress(io.stderr);

  const rows: ResultRow[] = [];
  let cursor = options.cursor;
  let pages = 0;
  do {
    const want = limit === undefined ? pageSize : Math.min(pageSize ?? 100, limit - rows.length);
    const page = await deps.store.listBatch(batchId, { pageSize: want, cursor });
    rows.push(...page.rows);
    cursor = page.nextCursor;
    pages += 1;
    progress.update(`batch ${batchId}: ${rows.length} rows read (${pages} page(s))`);
  } while (cursor !== undefined && (limit === undefined || rows.length < limit));
  progress.done();

  const document = imagesDocument('batch', { batchId }, rows, cursor);
  io.stdout.write(formatImages(format, document, rows, tableWidth(deps.config, io)));
  if (format === 'table') {
    const { counts } = document;
    io.stdout.write(
      `batch ${batchId}: ${rows.length} image(s): ${counts.SUCCEEDED} SUCCEEDED, ${counts.FAILED} FAILED\n`,
    );
  }
  if (cursor !== undefined) io.stderr.write(`more rows: continue with --cursor ${cursor}\n`);
  if (rows.length === 0 && options.cursor === undefined) {
    io.stderr.write(
      `batch ${batchId} not found: no result rows (its images may still be pending; check one with \`get <imageId>\`)\n`,
    );
    return exitCodes.notFoundOrPending;
  }
  return exitCodes.ok;
}

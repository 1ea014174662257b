import { renderTable, type TableColumn } from '@photo-pipeline/shared/result-table';
import type { BatchSummary } from '@photo-pipeline/shared/results-store';
import { toCsv } from '../../core/format/csv.ts';
import { formatUtcTime } from '../../core/format/formats.ts';
import type { ResultsDeps } from '../../entry/results-deps.ts';
import { type OutputOptions, outputFormatOf, toJson } from '../output/output-format.ts';
import { type CommandIo, exitCodes, tableWidth } from './command-io.ts';
import { parsePositiveInteger, parseTimeRange } from './parse-args.ts';

export interface BatchesOptions extends OutputOptions {
  readonly since?: string;
  readonly until?: string;
  readonly limit?: string;
}

export const batchesDefaults = { since: '7d', limit: 20 } as const;

const batchColumns: readonly TableColumn<BatchSummary>[] = [
  { header: 'BATCH', value: (batch) => batch.batchId, maxWidth: 60, minWidth: 10, cut: 'middle' },
  { header: 'IMAGES', align: 'right', value: (batch) => String(batch.counts.total) },
  { header: 'SUCCEEDED', align: 'right', value: (batch) => String(batch.counts.SUCCEEDED) },
  { header: 'FAILED', align: 'right', value: (batch) => String(batch.counts.FAILED) },
  { header: 'FIRST UPLOAD (UTC)', value: (batch) => formatUtcTime(batch.firstUploadedAt) },
  { header: 'LAST UPLOAD (UTC)', value: (batch) => formatUtcTime(batch.lastUploadedAt) },
  { header: 'LAST RESULT (UTC)', dropOrder: 1, value: (batch) => formatUtcTime(batch.lastProcessedAt) },
];

export const batchesHelp = `Table columns:
  BATCH               the batch id the client gave or the API made
  IMAGES              result rows of the whole batch (images still PENDING have none yet)
  SUCCEEDED, FAILED   those rows by status
  FIRST/LAST UPLOAD   the batch's first and last upload
  LAST RESULT         when its last result row was written (left out on a narrow terminal)
Batches are found by their uploads in the range, latest first; their counts cover the whole batch.`;

/** `batches`: the batches with uploads in a time range, latest first, with counts and upload times. */
export async function batchesCommand(
  deps: Pick<ResultsDeps, 'store' | 'config'>,
  io: CommandIo,
  options: BatchesOptions,
): Promise<number> {
  const format = outputFormatOf(options);
  const { since, until } = parseTimeRange(options.since, options.until, io.now(), batchesDefaults.since);
  const limit = parsePositiveInteger('--limit', options.limit, 1000) ?? batchesDefaults.limit;

  const { batches, more } = await deps.store.listBatches({ since, until, limit });
  const query = { since: since.toISOString(), until: until.toISOString(), limit };

  if (format === 'json') {
    io.stdout.write(toJson({ command: 'batches', query, batches, more }));
  } else if (format === 'csv') {
    io.stdout.write(
      toCsv(
        ['batchId', 'total', 'SUCCEEDED', 'FAILED', 'firstUploadedAt', 'lastUploadedAt', 'lastProcessedAt'],
        batches.map((batch) => [
          batch.batchId,
          batch.counts.total,
          batch.counts.SUCCEEDED,
          batch.counts.FAILED,
          batch.firstUploadedAt,
          batch.lastUploadedAt,
          batch.lastProcessedAt,
        ]),
      ),
    );
  } else if (batches.length > 0) {
    io.stdout.write(renderTable(batchColumns, batches, { width: tableWidth(deps.config, io) }));
    io.stdout.write(
      `${batches.length} batch(es) with uploads from ${query.since} to ${query.until}; one in full: results batch <batchId>\n`,
    );
  }
  if (batches.length === 0)
    io.stderr.write(`no batches with uploads from ${query.since} to ${query.until}\n`);
  if (more) {
    io.stderr.write(
      `more batches have uploads in this range: raise --limit (${limit}) or narrow --since/--until\n`,
    );
  }
  return exitCodes.ok;
}

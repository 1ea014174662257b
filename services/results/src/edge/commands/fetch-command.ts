import path from 'node:path';
import { formatBytes } from '@photo-pipeline/shared/format';
import { renderTable, type TableColumn } from '@photo-pipeline/shared/result-table';
import { type DownloadOutcome, downloadDefaults, downloadFiles } from '../../adapters/download-files.ts';
import { fetchTargets } from '../../core/fetch/fetch-targets.ts';
import { toCsv } from '../../core/format/csv.ts';
import type { ResultsDeps } from '../../entry/results-deps.ts';
import { fetchProgress } from '../output/fetch-progress.ts';
import { type OutputOptions, outputFormatOf, toJson } from '../output/output-format.ts';
import { type CommandIo, exitCodes, tableWidth } from './command-io.ts';

export interface FetchOptions extends OutputOptions {
  readonly outputDir: string;
  readonly originals?: boolean;
}

const fileColumns: readonly TableColumn<DownloadOutcome>[] = [
  { header: 'IMAGE ID', value: (outcome) => outcome.file.imageId },
  { header: 'KIND', value: (outcome) => outcome.file.kind },
  { header: 'BYTES', align: 'right', value: (outcome) => String(outcome.file.object.bytes) },
  {
    header: 'RESULT',
    value: (outcome) =>
      outcome.result === 'failed'
        ? `failed: ${outcome.error.code}: ${outcome.error.message}`
        : outcome.result,
    maxWidth: 60,
    minWidth: 9,
  },
  { header: 'FILE', value: (outcome) => path.basename(outcome.path), minWidth: 12, cut: 'middle' },
];

/**
 * `fetch <imageId|batchId...> --output-dir d [--originals]`: downloads the processed images (and the
 * uploads) into a local folder, checked against the SHA-256 in each row, with a progress bar on stderr.
 * Exit 1 when a download failed, 3 when an id has no result (yet).
 */
export async function fetchCommand(
  deps: Pick<ResultsDeps, 'store' | 'clients' | 'config' | 'cwd'>,
  io: CommandIo,
  ids: readonly string[],
  options: FetchOptions,
): Promise<number> {
  const format = outputFormatOf(options);
  const folder = path.resolve(deps.config.INIT_CWD ?? deps.cwd, options.outputDir);
  const originals = options.originals ?? false;
  const { files, notFetched } = await fetchTargets(deps.store, ids, originals);

  const progress = fetchProgress(io.stderr);
  progress.start(
    files.length,
    files.reduce((sum, file) => sum + file.object.bytes, 0),
  );
  let outcomes: DownloadOutcome[];
  try {
    outcomes = await downloadFiles(deps.clients, files, folder, {
      concurrency: downloadDefaults.concurrency,
      onBytes: (bytes) => progress.bytes(bytes),
      onFileDone: () => progress.fileDone(),
    });
  } finally {
    progress.stop();
  }

  const count = (result: DownloadOutcome['result']) => outcomes.filter((o) => o.result === result).length;
  const counts = { written: count('written'), unchanged: count('unchanged'), failed: count('failed') };
  const fileViews = outcomes.map(fileView);
  if (format === 'json') {
    io.stdout.write(
      toJson({
        command: 'fetch',
        query: { ids, originals },
        outputDir: folder,
        counts,
        files: fileViews,
        notFetched,
      }),
    );
  } else if (format === 'csv') {
    io.stdout.write(
      toCsv(
        ['imageId', 'kind', 'path', 'bytes', 'sha256', 'result', 'errorCode', 'errorMessage'],
        fileViews.map((file) => [
          file.imageId,
          file.kind,
          file.path,
          file.bytes,
          file.sha256,
          file.result,
          file.error?.code,
          file.error?.message,
        ]),
      ),
    );
  } else {
    if (outcomes.length > 0)
      io.stdout.write(renderTable(fileColumns, outcomes, { width: tableWidth(deps.config, io) }));
    const bytes = outcomes.reduce((sum, o) => sum + (o.result === 'failed' ? 0 : o.file.object.bytes), 0);
    io.stdout.write(
      `fetched ${counts.written + counts.unchanged} of ${outcomes.length} file(s) into ${folder} (${formatBytes(bytes)}): ${counts.written} written, ${counts.unchanged} already there, ${counts.failed} failed\n`,
    );
  }
  for (const skipped of notFetched) io.stderr.write(`not fetched: ${skipped.id}: ${skipped.reason}\n`);

  if (counts.failed > 0) return exitCodes.failed;
  return notFetched.some((skipped) => skipped.missing) ? exitCodes.notFoundOrPending : exitCodes.ok;
}

/** One downloaded (or failed) file as --json and --csv print it. */
function fileView(outcome: DownloadOutcome) {
  return {
    imageId: outcome.file.imageId,
    kind: outcome.file.kind,
    path: outcome.path,
    bytes: outcome.file.object.bytes,
    sha256: outcome.file.object.sha256,
    result: outcome.result,
    error: outcome.result === 'failed' ? { code: outcome.error.code, message: outcome.error.message } : null,
  };
}

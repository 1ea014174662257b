import { parseImageIds } from '../args/parse-args.ts';
import { toCsv } from '../output/csv.ts';
import { type OutputOptions, outputFormatOf, toJson } from '../output/output-format.ts';
import { countByStatus, csvCells, csvHeader, imageTableColumns, jsonOf } from '../output/result-fields.ts';
import { renderTable } from '../output/table.ts';
import type { ResultsDeps } from '../results-deps.ts';
import { type CommandIo, exitCodes } from './command-io.ts';

/** `get <imageId...>`: each image's status and result; exit 3 when any is PENDING or UNKNOWN. */
export async function getCommand(
  deps: Pick<ResultsDeps, 'store'>,
  io: CommandIo,
  imageIdArgs: readonly string[],
  options: OutputOptions,
): Promise<number> {
  const format = outputFormatOf(options);
  const ids = parseImageIds(imageIdArgs);
  const entries = await deps.store.getImageStatuses(ids);

  if (format === 'json') io.stdout.write(toJson(entries.map(jsonOf)));
  else if (format === 'csv') io.stdout.write(toCsv(csvHeader, entries.map(csvCells)));
  else io.stdout.write(renderTable(imageTableColumns, entries));

  const counts = countByStatus(entries);
  const missing = counts.PENDING + counts.UNKNOWN;
  if (missing === 0) return exitCodes.ok;
  io.stderr.write(
    `${missing} of ${entries.length} image(s) have no result: ${counts.PENDING} PENDING (uploaded, not processed yet), ${counts.UNKNOWN} UNKNOWN (never uploaded)\n`,
  );
  return exitCodes.notFoundOrPending;
}

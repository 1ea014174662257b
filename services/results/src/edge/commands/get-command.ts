import { countByStatus } from '@photo-pipeline/shared/result-table';
import type { ResultsDeps } from '../../entry/results-deps.ts';
import { formatImages, imagesDocument } from '../output/image-output.ts';
import { type OutputOptions, outputFormatOf } from '../output/output-format.ts';
import { type CommandIo, exitCodes, tableWidth } from './command-io.ts';
import { parseImageIds } from './parse-args.ts';

/** `get <imageId...>`: each image's status and result; exit 3 when any is PENDING or UNKNOWN. */
export async function getCommand(
  deps: Pick<ResultsDeps, 'store' | 'config'>,
  io: CommandIo,
  imageIdArgs: readonly string[],
  options: OutputOptions,
): Promise<number> {
  const format = outputFormatOf(options);
  const ids = parseImageIds(imageIdArgs);
  const entries = await deps.store.getImageStatuses(ids);

  const document = imagesDocument('get', { imageIds: ids }, entries, undefined);
  io.stdout.write(formatImages(format, document, entries, tableWidth(deps.config, io)));

  const counts = countByStatus(entries);
  const missing = counts.PENDING + counts.UNKNOWN;
  if (missing === 0) return exitCodes.ok;
  io.stderr.write(
    `${missing} of ${entries.length} image(s) have no result: ${counts.PENDING} PENDING (uploaded, not processed yet), ${counts.UNKNOWN} UNKNOWN (never uploaded)\n`,
  );
  return exitCodes.notFoundOrPending;
}

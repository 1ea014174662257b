import { renderTable, type TableColumn } from '@photo-pipeline/shared/result-table';
import { type Orphan, sweepOrphans } from '../../core/sweep/sweep-orphans.ts';
import type { ResultsDeps } from '../../entry/results-deps.ts';
import { toJson } from '../output/output-format.ts';
import { type CommandIo, exitCodes, tableWidth } from './command-io.ts';
import { parseTime } from './parse-args.ts';

export interface SweepOrphansOptions {
  readonly olderThan?: string;
  readonly delete?: boolean;
  readonly json?: boolean;
}

export const sweepDefaults = { olderThan: '24h' } as const;

const orphanColumns: readonly TableColumn<Orphan>[] = [
  { header: 'IMAGE ID', value: (orphan) => orphan.imageId },
  { header: 'STORED', value: (orphan) => orphan.lastModified.toISOString() },
  { header: 'BYTES', value: (orphan) => String(orphan.bytes), align: 'right' },
  { header: 'STATE', value: (orphan) => orphan.state },
];

/**
 * `sweep-orphans`: uploads stored but never queued (no message, no row, no Idempotency-Key marker),
 * reported, or deleted with --delete. Exit 0 when none is left behind, 3 when some were found and kept.
 */
export async function sweepOrphansCommand(
  deps: Pick<ResultsDeps, 'uploads' | 'queues' | 'store' | 'config'>,
  io: CommandIo,
  options: SweepOrphansOptions,
): Promise<number> {
  const now = io.now();
  const storedBefore = parseTime('--older-than', options.olderThan ?? sweepDefaults.olderThan, now);
  const report = await sweepOrphans(deps, {
    storedBefore,
    now,
    delete: options.delete === true,
  });
  const counts = { deleted: 0, found: 0, held: 0 };
  for (const orphan of report.orphans) counts[orphan.state] += 1;

  if (options.json) {
    io.stdout.write(
      toJson({
        bucket: deps.config.UPLOADS_BUCKET,
        storedBefore: storedBefore.toISOString(),
        checked: report.checked,
        queuedMessages: report.queuedMessages,
        ...counts,
        orphans: report.orphans.map((orphan) => ({
          ...orphan,
          lastModified: orphan.lastModified.toISOString(),
        })),
      }),
    );
  } else if (report.orphans.length > 0) {
    io.stdout.write(renderTable(orphanColumns, report.orphans, { width: tableWidth(deps.config, io) }));
  }
  io.stderr.write(
    `${report.checked} upload(s) stored before ${storedBefore.toISOString()} checked: ${counts.deleted} orphan(s) deleted, ${counts.found} found (add --delete to remove them), ${counts.held} held (${report.queuedMessages} message(s) in the jobs queue and DLQ may still name them)\n`,
  );
  return counts.found + counts.held === 0 ? exitCodes.ok : exitCodes.notFoundOrPending;
}

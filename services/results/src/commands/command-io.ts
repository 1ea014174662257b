import type { ResultsConfig } from '@photo-pipeline/shared/config';
import type { ProgressStream } from '../progress.ts';

/** Where a command writes: results to stdout (clean for scripts), messages and progress to stderr. */
export interface CommandIo {
  readonly stdout: {
    write(text: string): unknown;
    readonly isTTY?: boolean;
    /** The terminal's width, when stdout is one. */
    readonly columns?: number;
  };
  readonly stderr: ProgressStream;
  /** The clock, for default time ranges; tests fix it. */
  readonly now: () => Date;
}

/** Exit codes of the results CLI beyond the error catalogue's: 3 means some asked-for thing is not there (yet). */
export const exitCodes = { ok: 0, notFoundOrPending: 3 } as const;

/** The width tables fit: COLUMNS when set, else the terminal's; unlimited when stdout is a pipe or file. */
export function tableWidth(config: Pick<ResultsConfig, 'COLUMNS'>, io: CommandIo): number | undefined {
  return config.COLUMNS ?? (io.stdout.isTTY ? io.stdout.columns : undefined);
}

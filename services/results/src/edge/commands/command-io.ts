import type { ResultsConfig } from '@photo-pipeline/shared/config';

/** Where a command writes: results to stdout (clean for scripts), messages and progress to stderr. */
export interface CommandIo {
  readonly stdout: {
    write(text: string): unknown;
    readonly isTTY?: boolean;
    /** The terminal's width, when stdout is one. */
    readonly columns?: number;
  };
  /** A real stream: a progress bar on a terminal needs its cursor control. */
  readonly stderr: NodeJS.WritableStream & { readonly isTTY?: boolean };
  /** The clock, for default time ranges; tests fix it. */
  readonly now: () => Date;
}

/**
 * Exit codes a command returns itself (errors it throws get theirs from the catalogue): 1 some part of
 * the work failed (each named), 3 some asked-for thing is not there (yet).
 */
export const exitCodes = { ok: 0, failed: 1, notFoundOrPending: 3 } as const;

/** The width tables fit: COLUMNS when set, else the terminal's; unlimited when stdout is a pipe or file. */
export function tableWidth(config: Pick<ResultsConfig, 'COLUMNS'>, io: CommandIo): number | undefined {
  return config.COLUMNS ?? (io.stdout.isTTY ? io.stdout.columns : undefined);
}

import type { ProgressStream } from '../progress.ts';

/** Where a command writes: results to stdout (clean for scripts), messages and progress to stderr. */
export interface CommandIo {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: ProgressStream;
  /** The clock, for default time ranges; tests fix it. */
  readonly now: () => Date;
}

/** Exit codes of the results CLI beyond the error catalogue's: 3 means some asked-for thing is not there (yet). */
export const exitCodes = { ok: 0, notFoundOrPending: 3 } as const;

import type { Progress } from '../../core/results-ports.ts';

export interface ProgressStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

/**
 * Progress on stderr: on a terminal one line rewritten in place; otherwise a line at most every
 * `intervalMs`, so logs of a long report stay short, and the last state when the work is done (unless a
 * closing message says it). stdout stays clean for --json and --csv.
 */
export function streamProgress(stream: ProgressStream, intervalMs = 1_000, now = Date.now): Progress {
  let lastAt = Number.NEGATIVE_INFINITY;
  let shown = false;
  let unshown: string | undefined;
  return {
    update(message) {
      if (stream.isTTY) {
        stream.write(`\r\u001b[2K${message}`);
        shown = true;
        return;
      }
      const at = now();
      if (at - lastAt < intervalMs) {
        unshown = message;
        return;
      }
      lastAt = at;
      unshown = undefined;
      stream.write(`${message}\n`);
    },
    done(message) {
      if (stream.isTTY && shown) stream.write('\r\u001b[2K');
      const last = message ?? unshown;
      if (last) stream.write(`${last}\n`);
      shown = false;
      unshown = undefined;
    },
  };
}

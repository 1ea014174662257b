/** Where long work reports how far it got; the CLI writes to stderr, the library default says nothing. */
export interface Progress {
  update(message: string): void;
  done(message?: string): void;
}

export const silentProgress: Progress = { update() {}, done() {} };

export interface ProgressStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

/**
 * Progress on stderr: on a terminal one line rewritten in place; otherwise a line at most every
 * `intervalMs`, so logs of a long report stay short. stdout stays clean for --json and --csv.
 */
export function streamProgress(stream: ProgressStream, intervalMs = 1_000, now = Date.now): Progress {
  let lastAt = Number.NEGATIVE_INFINITY;
  let shown = false;
  return {
    update(message) {
      if (stream.isTTY) {
        stream.write(`\r\u001b[2K${message}`);
        shown = true;
        return;
      }
      const at = now();
      if (at - lastAt < intervalMs) return;
      lastAt = at;
      stream.write(`${message}\n`);
    },
    done(message) {
      if (stream.isTTY && shown) stream.write('\r\u001b[2K');
      if (message) stream.write(`${message}\n`);
      shown = false;
    },
  };
}

import { formatBytes } from '@photo-pipeline/shared/format';
import cliProgress from 'cli-progress';
import { streamProgress } from './progress.ts';

/** How far a download got: files done of all, bytes received of all. */
export interface FetchProgress {
  start(files: number, bytes: number): void;
  bytes(received: number): void;
  fileDone(): void;
  stop(): void;
}

/**
 * A cli-progress bar (files, bytes) on a terminal; otherwise a plain line at most every second and the
 * last state at the end, so logs stay short. Always on stderr: stdout stays clean for --json.
 */
export function fetchProgress(stderr: NodeJS.WritableStream & { readonly isTTY?: boolean }): FetchProgress {
  let files = 0;
  let totalBytes = 0;
  let done = 0;
  let received = 0;
  const detail = () => `${formatBytes(received)} / ${formatBytes(totalBytes)}`;
  if (!stderr.isTTY) {
    const lines = streamProgress(stderr);
    const show = () => lines.update(`fetch: ${done}/${files} files, ${detail()}`);
    return {
      start(fileCount, byteCount) {
        files = fileCount;
        totalBytes = byteCount;
      },
      bytes(count) {
        received += count;
      },
      fileDone() {
        done += 1;
        show();
      },
      stop: () => lines.done(),
    };
  }
  const bar = new cliProgress.SingleBar(
    {
      stream: stderr,
      format: 'fetch [{bar}] {value}/{total} files | {detail}',
      hideCursor: true,
      clearOnComplete: true,
      barsize: 30,
      fps: 8,
    },
    cliProgress.Presets.shades_classic,
  );
  return {
    start(fileCount, byteCount) {
      files = fileCount;
      totalBytes = byteCount;
      bar.start(files, 0, { detail: detail() });
    },
    bytes(count) {
      received += count;
      bar.update(done, { detail: detail() });
    },
    fileDone() {
      done += 1;
      bar.update(done, { detail: detail() });
    },
    stop: () => bar.stop(),
  };
}

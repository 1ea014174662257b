import { basename } from 'node:path';
import { formatBytes, formatRate } from '@photo-pipeline/shared/format';
import cliProgress from 'cli-progress';
import type { UploadEvent } from './upload-files.ts';
import type { WaitProgress } from './wait-for-results.ts';

export interface ProgressDisplay {
  onUpload(event: UploadEvent): void;
  onWait(progress: WaitProgress): void;
  stop(): void;
}

/** No progress at all (--json, --quiet). */
export const silentProgress: ProgressDisplay = {
  onUpload: () => undefined,
  onWait: () => undefined,
  stop: () => undefined,
};

/** A live bar with count, bytes and rate, for a terminal. */
export function barProgress(stream: NodeJS.WriteStream): ProgressDisplay {
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format: '{phase} [{bar}] {value}/{total} {unit} | {detail}',
      hideCursor: true,
      clearOnComplete: false,
      barsize: 30,
      fps: 8,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = 0;
  let bytes = 0;
  let totalBytes = 0;
  let done = 0;
  let running = false;
  let phase: 'upload' | 'wait' = 'upload';
  const detail = () =>
    `${formatBytes(bytes)} / ${formatBytes(totalBytes)} | ${formatRate(bytes, performance.now() - started)}`;
  return {
    onUpload(event) {
      if (event.type === 'start') {
        started = performance.now();
        totalBytes = event.totalBytes;
        bar.start(event.files, 0, { phase: 'uploading ', unit: 'files', detail: detail() });
        running = true;
      } else if (event.type === 'bytes') {
        bytes += event.bytes;
        bar.update(done, { detail: detail() });
      } else if (event.type === 'retry') {
        bytes -= event.bytesToResend;
        bar.update(done, { detail: `${detail()} | retrying ${basename(event.file)} (${event.reason.code})` });
      } else {
        done += 1;
        bar.update(done, { detail: detail() });
      }
    },
    onWait(progress) {
      if (phase !== 'wait') {
        if (running) bar.stop();
        bar.start(progress.total, 0, { phase: 'processing', unit: 'images', detail: '' });
        running = true;
        phase = 'wait';
      }
      const note = progress.pollError ? ` | poll failed: ${progress.pollError.code}, still trying` : '';
      bar.update(progress.succeeded + progress.failed, {
        detail: `${progress.succeeded} succeeded, ${progress.failed} failed, ${progress.waiting} waiting${note}`,
      });
    },
    stop() {
      if (running) bar.stop();
      running = false;
    },
  };
}

/** One line per finished file, retry and change of wait counts, for logs and pipes. */
export function lineProgress(write: (line: string) => void): ProgressDisplay {
  let started = 0;
  let bytes = 0;
  let files = 0;
  let done = 0;
  let lastWait = '';
  return {
    onUpload(event) {
      if (event.type === 'start') {
        started = performance.now();
        files = event.files;
      } else if (event.type === 'retry') {
        write(
          `retry ${basename(event.file)} in ${(event.delayMs / 1000).toFixed(1)} s: ${event.reason.code} ${event.reason.message}`,
        );
      } else if (event.type === 'file-done') {
        done += 1;
        const { result } = event;
        if (result.ok) {
          bytes += result.bytes;
          write(
            `[${done}/${files}] ok     ${result.name} (${formatBytes(result.bytes)}) -> ${result.imageId} | ${formatBytes(bytes)} at ${formatRate(bytes, performance.now() - started)}`,
          );
        } else {
          write(`[${done}/${files}] FAILED ${result.name}: ${result.error.code} ${result.error.message}`);
        }
      }
    },
    onWait(progress) {
      const line = `processing: ${progress.succeeded + progress.failed}/${progress.total} done (${progress.succeeded} succeeded, ${progress.failed} failed, ${progress.waiting} waiting)`;
      if (line !== lastWait) write(line);
      lastWait = line;
    },
    stop: () => undefined,
  };
}

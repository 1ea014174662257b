import { newBatchId } from '@photo-pipeline/shared/contracts';
import { formatBytes, formatRate, formatSeconds } from '@photo-pipeline/shared/format';
import { checkApi } from './check-api.ts';
import { describeSkipped } from './collect-files.ts';
import type { ProgressDisplay } from './progress-display.ts';
import { type UploadSummary, uploadFiles } from './upload-files.ts';
import { type WaitSummary, waitForResults } from './wait-for-results.ts';
import { waitReportText } from './wait-report.ts';

export interface RunOptions {
  readonly paths: readonly string[];
  readonly endpoint: string;
  readonly apiKey?: string | undefined;
  readonly batchId?: string | undefined;
  readonly concurrency: number;
  readonly retries: number;
  readonly wait: boolean;
  readonly waitTimeoutMs: number;
  readonly json: boolean;
  readonly cwd: string;
  /** The width the closing table of --wait fits (the terminal's); unlimited when undefined. */
  readonly tableWidth?: number | undefined;
}

export const exitCodes = { ok: 0, someFailed: 1, usage: 2, waitTimedOut: 3 } as const;

/**
 * The CLI's flow: the API asked once whether it is there (API_UNREACHABLE, exit 2, when it is not), the
 * batch id first, uploads with progress, optional wait, summary; returns the exit code.
 */
export async function runUpload(
  options: RunOptions,
  progress: ProgressDisplay,
  write: (text: string) => void,
  warn: (text: string) => void,
): Promise<number> {
  const readiness = await checkApi(options.endpoint, options.apiKey);
  if (!readiness.ready) {
    warn(
      `warning: the API at ${options.endpoint} is not ready (${readiness.unavailable}); uploads will retry\n`,
    );
  }
  const batchId = options.batchId ?? newBatchId();
  if (!options.json) write(`batch ${batchId} -> ${options.endpoint}\n`);
  let upload: UploadSummary;
  try {
    upload = await uploadFiles({
      paths: options.paths,
      endpoint: options.endpoint,
      apiKey: options.apiKey,
      batchId,
      concurrency: options.concurrency,
      retry: { retries: options.retries },
      cwd: options.cwd,
      onEvent: (event) => progress.onUpload(event),
    });
  } finally {
    progress.stop();
  }

  let wait: WaitSummary | undefined;
  const imageIds = upload.files.flatMap((file) => (file.ok ? [file.imageId] : []));
  if (options.wait && imageIds.length > 0) {
    try {
      wait = await waitForResults({
        endpoint: options.endpoint,
        apiKey: options.apiKey,
        imageIds,
        timeoutMs: options.waitTimeoutMs,
        onProgress: (state) => progress.onWait(state),
      });
    } finally {
      progress.stop();
    }
  }

  const processingFailed = wait?.outcomes.filter((outcome) => outcome.status === 'FAILED') ?? [];
  const exitCode =
    upload.failed > 0 || processingFailed.length > 0
      ? exitCodes.someFailed
      : wait?.timedOut
        ? exitCodes.waitTimedOut
        : exitCodes.ok;
  write(
    options.json
      ? `${JSON.stringify(jsonReport(options, upload, wait, exitCode), null, 2)}\n`
      : textReport(options, upload, wait),
  );
  return exitCode;
}

function jsonReport(
  options: RunOptions,
  upload: UploadSummary,
  wait: WaitSummary | undefined,
  exitCode: number,
) {
  const names = new Map(
    upload.files.flatMap((file) => (file.ok ? [[file.imageId, file.name] as const] : [])),
  );
  return {
    batchId: upload.batchId,
    endpoint: options.endpoint,
    exitCode,
    uploaded: upload.uploaded,
    failed: upload.failed,
    bytes: upload.bytes,
    elapsedMs: upload.elapsedMs,
    skipped: upload.skipped,
    files: upload.files.map((file) =>
      file.ok
        ? {
            path: file.path,
            name: file.name,
            bytes: file.bytes,
            ok: true,
            imageId: file.imageId,
            key: file.key,
            attempts: file.attempts,
          }
        : {
            path: file.path,
            name: file.name,
            bytes: file.bytes,
            ok: false,
            error: file.error,
            attempts: file.attempts,
          },
    ),
    ...(wait
      ? {
          wait: {
            timedOut: wait.timedOut,
            outcomes: wait.outcomes.map((outcome) => ({
              imageId: outcome.imageId,
              name: names.get(outcome.imageId),
              status: outcome.status,
              ...(outcome.result ? { result: outcome.result } : {}),
            })),
          },
        }
      : {}),
  };
}

function textReport(options: RunOptions, upload: UploadSummary, wait: WaitSummary | undefined): string {
  const lines: string[] = [];
  lines.push(
    `uploaded ${upload.uploaded} of ${upload.files.length} files of batch ${upload.batchId} ` +
      `(${formatBytes(upload.bytes)} in ${formatSeconds(upload.elapsedMs)}, ${formatRate(upload.bytes, upload.elapsedMs)})`,
  );
  if (upload.skipped.count > 0) lines.push(describeSkipped(upload.skipped));
  const failed = upload.files.flatMap((file) => (file.ok ? [] : [file]));
  if (failed.length > 0) {
    lines.push(`${failed.length} failed to upload:`);
    for (const file of failed) lines.push(`  ${file.path}: ${file.error.code}: ${file.error.message}`);
  }
  if (wait) lines.push(...waitReportText(upload.batchId, wait, options.tableWidth));
  return `${lines.join('\n')}\n`;
}

import { newBatchId } from '@photo-pipeline/shared/contracts';
import { repoPaths } from './repo-paths.ts';
import { runTool, runToolForJson } from './run-tool.ts';

export type Emit = (event: string, fields: Record<string, unknown>) => void;

type ToolEnv = Readonly<Record<string, string | undefined>>;

/**
 * Uploads the sample images through the client and waits for them, then writes the batch's report with
 * the results task. As text, the client's wait already prints every row (the table `results batch`
 * prints), so the batch is not printed twice; with `emit`, one `samples` event holds the CLIs' JSON
 * documents, the batch's included. `signal` stops the CLI that is running (the promise then rejects).
 */
export async function runSamples(
  apiUrl: string,
  toolEnv: ToolEnv,
  emit: Emit | undefined,
  signal: AbortSignal,
): Promise<number> {
  const batchId = `samples-${newBatchId()}`;
  const uploadArgs = [repoPaths.samples, '--endpoint', apiUrl, '--batch-id', batchId, '--wait'];
  if (emit) {
    const upload = await runToolForJson(repoPaths.uploadCli, [...uploadArgs, '--json'], toolEnv, signal);
    const batch = await runToolForJson(repoPaths.resultsCli, ['batch', batchId, '--json'], toolEnv, signal);
    const report = await runToolForJson(repoPaths.resultsCli, ['report', batchId, '--json'], toolEnv, signal);
    emit('samples', { batchId, upload: upload.document, batch: batch.document, report: report.document });
    return samplesExitCode(upload.exitCode, report.exitCode);
  }
  process.stdout.write(`uploading the sample images (batch ${batchId}) and waiting for their results...\n`);
  const uploaded = await runTool(repoPaths.uploadCli, uploadArgs, toolEnv, signal);
  process.stdout.write('\npost-processing report (the results task):\n');
  const reported = await runTool(repoPaths.resultsCli, ['report', batchId], toolEnv, signal);
  return samplesExitCode(uploaded, reported);
}

/**
 * The samples include one broken image on purpose, so the client reports a failure (1, or 3 for an image
 * not found): that is the demo, not an error. The report's exit code counts, and any other from the client.
 */
function samplesExitCode(uploaded: number, reported: number): number {
  if (uploaded !== 0 && uploaded !== 1 && uploaded !== 3) return uploaded;
  return reported;
}

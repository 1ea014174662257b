import { stdout } from 'node:process';
import { runMain } from '@photo-pipeline/shared/cli';
import { loadConfig } from '@photo-pipeline/shared/config';
import { Command, InvalidArgumentError } from 'commander';
import { clientConfigSchema, endpointRequirement, isHttpEndpoint } from './client-config.ts';
import { barProgress, lineProgress, type ProgressDisplay, silentProgress } from './progress-display.ts';
import { type RunOptions, runUpload } from './run-upload.ts';

/**
 * Exit codes: 0 all done, 1 some file failed (upload or processing), 2 bad usage or the API not reachable,
 * 3 --wait timed out.
 */
// `pnpm upload ... | head` closes the pipe early; that is the reader's choice, not a failure.
stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

await runMain(async () => {
  const config = loadConfig(clientConfigSchema);
  const program = new Command('upload')
    .description('Upload images (files or folders) to the photo-pipeline API.')
    .argument('<paths...>', 'image files and folders (folders are searched recursively for image extensions)')
    .option(
      '-e, --endpoint <url>',
      'API endpoint (env PHOTO_PIPELINE_ENDPOINT)',
      httpEndpoint,
      config.PHOTO_PIPELINE_ENDPOINT,
    )
    .option('-k, --api-key <key>', 'API key sent as Bearer (env PHOTO_PIPELINE_API_KEY)')
    .option('-b, --batch-id <id>', 'batch id for these files (default: a new ULID)')
    .option('-c, --concurrency <n>', 'files uploaded at once', positiveInteger, 4)
    .option('--retries <n>', 'retries per file on 429, 503 and network errors', nonNegativeInteger, 5)
    .option('-w, --wait', 'after uploading, wait until every image has a result', false)
    .option('--wait-timeout <seconds>', 'give up waiting after this long', positiveInteger, 600)
    .option('--json', 'print one JSON document (batch id first) instead of text', false)
    .option('-q, --quiet', 'no progress display, only the summary', false)
    .addHelpText(
      'after',
      '\nExit codes: 0 all uploaded (and, with --wait, processed); 1 some file failed, each named with its reason;\n' +
        '2 bad arguments or configuration, or the API not reachable (checked once, before uploading);\n' +
        '3 --wait timed out with images still pending. Folders: files without an image extension are skipped and counted.',
    )
    .showHelpAfterError('(npm run upload -- --help shows the usage and every option)')
    .exitOverride()
    .configureOutput({ writeErr: (text) => process.stderr.write(text) });

  program.parse(process.argv);
  const flags = program.opts<{
    endpoint: string;
    apiKey?: string;
    batchId?: string;
    concurrency: number;
    retries: number;
    wait: boolean;
    waitTimeout: number;
    json: boolean;
    quiet: boolean;
  }>();
  const options: RunOptions = {
    paths: program.args,
    endpoint: flags.endpoint,
    apiKey: flags.apiKey ?? config.PHOTO_PIPELINE_API_KEY,
    batchId: flags.batchId,
    concurrency: flags.concurrency,
    retries: flags.retries,
    wait: flags.wait,
    waitTimeoutMs: flags.waitTimeout * 1000,
    json: flags.json,
    cwd: config.INIT_CWD ?? process.cwd(),
    tableWidth: config.COLUMNS ?? (stdout.isTTY ? stdout.columns : undefined),
  };
  const progress: ProgressDisplay =
    flags.json || flags.quiet
      ? silentProgress
      : stdout.isTTY
        ? barProgress(stdout)
        : lineProgress((line) => stdout.write(`${line}\n`));
  return runUpload(
    options,
    progress,
    (text) => stdout.write(text),
    (text) => process.stderr.write(text),
  );
});

function httpEndpoint(value: string): string {
  if (!isHttpEndpoint(value)) throw new InvalidArgumentError(endpointRequirement);
  return value;
}

function positiveInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a whole number of 1 or more');
  return n;
}

function nonNegativeInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a whole number of 0 or more');
  return n;
}

import { cliExit } from '@photo-pipeline/shared/cli';
import { imageColumnsHelp } from '@photo-pipeline/shared/result-table';
import { Command, CommanderError } from 'commander';
import { batchCommand } from '../edge/commands/batch-command.ts';
import { batchesCommand, batchesDefaults, batchesHelp } from '../edge/commands/batches-command.ts';
import type { CommandIo } from '../edge/commands/command-io.ts';
import { fetchCommand } from '../edge/commands/fetch-command.ts';
import { getCommand } from '../edge/commands/get-command.ts';
import { listCommand, listDefaults } from '../edge/commands/list-command.ts';
import { reportCommand } from '../edge/commands/report-command.ts';
import { sweepDefaults, sweepOrphansCommand } from '../edge/commands/sweep-orphans-command.ts';
import type { ResultsDeps } from './results-deps.ts';

/**
 * Runs the results CLI on `argv` (user arguments only) and returns its exit code. Dependencies are made
 * only once a command is chosen, so `--help` and usage errors need no configuration or AWS.
 */
export async function runResultsCli(
  argv: readonly string[],
  io: CommandIo,
  makeDeps: () => ResultsDeps,
): Promise<number> {
  let exitCode = 0;
  let deps: ResultsDeps | undefined;
  const depsOnce = () => {
    deps ??= makeDeps();
    return deps;
  };
  const program = new Command('results')
    .description('Query processed-image results and write post-processing reports.')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    })
    .showHelpAfterError('(add --help for usage)')
    .addHelpText(
      'after',
      `
Exit codes: 0 all found · 3 some not found or pending · 2 bad arguments · 1 AWS or other error.
Times for --since/--until: ISO date-time (2026-11-21T10:00:00Z), a day (2026-11-21), "now", or ago (30m, 24h, 7d).`,
    );

  withOutput(
    program
      .command('get')
      .description(
        'status and result of images: SUCCEEDED, FAILED (code, message), PENDING (uploaded, no result yet), UNKNOWN',
      )
      .argument('<imageId...>', 'image ids (ULIDs) as the upload API returned them'),
  )
    .addHelpText('after', `\n${imageColumnsHelp}`)
    .action(async (ids: string[], options) => {
      exitCode = await getCommand(depsOnce(), io, ids, options);
    });

  withOutput(
    program
      .command('batch')
      .description('every image of a batch in upload order, with counts by status')
      .argument('<batchId>', 'the batch id the client used or the API made')
      .option('--page-size <n>', 'rows per DynamoDB query page (1-1000)')
      .option('--limit <n>', 'stop after n rows and print a cursor to continue')
      .option('--cursor <cursor>', 'continue from the cursor a previous --limit printed'),
  )
    .addHelpText('after', `\n${imageColumnsHelp}`)
    .action(async (batchId: string, options) => {
      exitCode = await batchCommand(depsOnce(), io, batchId, options);
    });

  withOutput(
    program
      .command('list')
      .description('recent results by upload time, newest first')
      .option('--since <time>', `uploaded at or after (default ${listDefaults.since} ago)`)
      .option('--until <time>', 'uploaded before (default now)')
      .option('--status <status>', 'only SUCCEEDED or FAILED')
      .option('--limit <n>', `rows to show (1-1000, default ${listDefaults.limit})`)
      .option('--cursor <cursor>', 'continue from the cursor a previous list printed')
      .option('--oldest-first', 'oldest first instead of newest first'),
  )
    .addHelpText('after', `\n${imageColumnsHelp}`)
    .action(async (options) => {
      exitCode = await listCommand(depsOnce(), io, options);
    });

  withOutput(
    program
      .command('batches')
      .description(
        'batches with uploads in a time range, latest first: counts by status, first and last upload',
      )
      .option('--since <time>', `with uploads at or after (default ${batchesDefaults.since} ago)`)
      .option('--until <time>', 'with uploads before (default now)')
      .option('--limit <n>', `batches to show (1-1000, default ${batchesDefaults.limit})`),
  )
    .addHelpText('after', `\n${batchesHelp}`)
    .action(async (options) => {
      exitCode = await batchesCommand(depsOnce(), io, options);
    });

  withOutput(
    program
      .command('fetch')
      .description('download processed images (and with --originals the uploads) of images or whole batches')
      .argument('<id...>', 'image ids or batch ids')
      .requiredOption('--output-dir <dir>', 'local folder for the files (made when missing)')
      .option('--originals', 'also download each upload (FAILED images have only that)'),
  )
    .addHelpText(
      'after',
      `
Files are named <imageId>_<uploaded name>.<ext> (processed) and <imageId>_<uploaded name>.original.<ext>,
so they sort in upload order. Each download is checked against the size and SHA-256 in its result row;
a file already there with the same bytes is kept. Progress goes to stderr.
Exit codes: 0 all fetched · 1 a download failed · 3 an id has no result (yet) · 2 bad arguments.`,
    )
    .action(async (ids: string[], options) => {
      exitCode = await fetchCommand(depsOnce(), io, ids, options);
    });

  withOutput(
    program
      .command('report')
      .description(
        'summary statistics (JSON and CSV in S3, printed) and an HTML report: foreground, area and throughput charts, every image in a sortable table with thumbnails and full-size links',
      )
      .argument('[batchId]', 'report on this batch')
      .option('--since <time>', 'report on uploads at or after this time instead of a batch')
      .option('--until <time>', 'with --since: uploads before this time (default now)')
      .option('--status <status>', 'with --since: only SUCCEEDED or FAILED')
      .option(
        '--output-dir <dir>',
        'local folder for the report and its full-size images (default REPORT_OUTPUT_DIR, ./reports); "none" keeps it in S3 only',
      )
      .option(
        '--max-thumbnails <n>',
        'images pictured with before/after thumbnails (default REPORT_MAX_THUMBNAILS)',
      ),
  ).action(async (batchId: string | undefined, options) => {
    exitCode = await reportCommand(depsOnce(), io, batchId, options);
  });

  program
    .command('sweep-orphans')
    .description(
      'uploads stored but never queued (no message, no result row, no Idempotency-Key marker): report them, or delete them with --delete',
    )
    .option(
      '--older-than <time>',
      `only uploads stored before this time (default ${sweepDefaults.olderThan} ago)`,
    )
    .option('--delete', 'delete the orphans found')
    .option('--json', 'JSON on stdout, for scripts')
    .exitOverride()
    .action(async (options) => {
      exitCode = await sweepOrphansCommand(depsOnce(), io, options);
    });

  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (error) {
    // Commander has already printed its message; other failures go on to the entry point's runMain.
    if (error instanceof CommanderError) return cliExit(error).exitCode;
    throw error;
  } finally {
    deps?.clients.destroy();
  }
  return exitCode;
}

function withOutput(command: Command): Command {
  return command
    .option('--json', 'JSON on stdout, for scripts (the same document for get, batch and list)')
    .option('--csv', 'CSV on stdout, for spreadsheets')
    .exitOverride();
}

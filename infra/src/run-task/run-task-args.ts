import { PermanentError } from '@photo-pipeline/shared/errors';
import { Command, CommanderError } from 'commander';

export interface RunTaskOptions {
  readonly stackName: string;
  readonly region: string | undefined;
  /** Give up waiting for the task after this many seconds (the task keeps running). */
  readonly timeoutSeconds: number;
  /** Start the task and print its ARN without waiting for it. */
  readonly wait: boolean;
  /** The results CLI's own arguments, passed to the container as its command. */
  readonly resultsArgs: readonly string[];
}

export const runTaskUsage = `Runs the results CLI as a one-off ECS task of a deployed stack, waits for it and prints its output.

The first word that is not an option here, and everything after it (or everything after "--"), goes to the
results CLI:
  pnpm --filter @photo-pipeline/infra run-results get 01J9Z... --json
  pnpm --filter @photo-pipeline/infra run-results --stack Staging -- report my-batch

Exit code: the results task's own exit code; 2 for bad arguments; 1 when the task cannot be started.`;

/** Parses this script's options; the results CLI's arguments pass through untouched. */
export function parseRunTaskArgs(
  argv: readonly string[],
  defaults: { region: string | undefined },
): RunTaskOptions | { readonly help: string } {
  const program = new Command('run-results-task')
    .description(runTaskUsage)
    .option('--stack <name>', 'the CloudFormation stack of the pipeline', 'PhotoPipeline')
    .option('--region <region>', 'AWS region (default: AWS_REGION or the profile)')
    .option('--timeout <seconds>', 'how long to wait for the task', '900')
    .option('--no-wait', 'start the task, print its ARN and return')
    .argument('[results-args...]', 'arguments for the results CLI')
    .passThroughOptions()
    .allowExcessArguments(true)
    .exitOverride()
    .configureOutput({ writeOut: () => undefined, writeErr: () => undefined });

  try {
    program.parse([...argv], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError && error.code === 'commander.helpDisplayed') {
      return { help: program.helpInformation() };
    }
    throw new PermanentError('INVALID_ARGUMENT', error instanceof Error ? error.message : String(error));
  }
  const options = program.opts<{ stack: string; region?: string; timeout: string; wait: boolean }>();
  const timeoutSeconds = Number(options.timeout);
  if (!Number.isInteger(timeoutSeconds) || timeoutSeconds < 1) {
    throw new PermanentError(
      'INVALID_ARGUMENT',
      `--timeout: expected a whole number of seconds, got ${options.timeout}`,
    );
  }
  const resultsArgs = program.args;
  if (resultsArgs.length === 0) {
    throw new PermanentError(
      'INVALID_ARGUMENT',
      'no results command given (e.g. -- get <imageId>, -- --help)',
    );
  }
  return {
    stackName: options.stack,
    region: options.region ?? defaults.region,
    timeoutSeconds,
    wait: options.wait,
    resultsArgs,
  };
}

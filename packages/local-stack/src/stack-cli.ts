import { runMain } from '@photo-pipeline/shared/cli';
import { loadConfig } from '@photo-pipeline/shared/config';
import { Command, InvalidArgumentError } from 'commander';
import { cliArguments } from './cli-arguments.ts';
import { describeStack } from './describe-stack.ts';
import { startLocalStack } from './local-stack.ts';
import { parsePort } from './port-option.ts';
import { stackConfigSchema } from './stack-config.ts';

/** `pnpm stack`: runs the embedded AWS stack in the foreground until Ctrl-C or SIGTERM. */
function parseArguments(argv: readonly string[]) {
  const config = loadConfig(stackConfigSchema);
  const program = new Command('stack')
    .description('Run the embedded local AWS stack (S3, SQS, DynamoDB) behind one endpoint.')
    .option(
      '-p, --port <port>',
      'port of the endpoint (0 = any free port) [env STACK_PORT]',
      parsePort,
      config.STACK_PORT,
    )
    .option('--host <host>', 'interface to listen on [env STACK_HOST]', config.STACK_HOST)
    .option('--data-dir <dir>', 'folder for persistent state [env STACK_DATA_DIR]', config.STACK_DATA_DIR)
    .option('--in-memory', 'keep nothing on disk [env STACK_IN_MEMORY]', config.STACK_IN_MEMORY)
    .option(
      '--max-receive-count <n>',
      'deliveries before a job moves to the DLQ [env STACK_MAX_RECEIVE_COUNT]',
      parsePositive,
      config.STACK_MAX_RECEIVE_COUNT,
    )
    .option('--json', 'print the endpoint and resources as one JSON line')
    .exitOverride()
    .parse(argv, { from: 'node' });
  return { config, options: program.opts<CliOptions>() };
}

interface CliOptions {
  port: number;
  host: string;
  dataDir: string;
  inMemory: boolean;
  maxReceiveCount: number;
  json?: boolean;
}

function parsePositive(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a whole number >= 1');
  return n;
}

async function main(): Promise<number> {
  const { config, options } = parseArguments(cliArguments(process.argv));
  const dataDir = options.inMemory ? undefined : options.dataDir;
  const stack = await startLocalStack({
    port: options.port,
    host: options.host,
    region: config.AWS_REGION,
    dataDir,
    queue: {
      maxReceiveCount: options.maxReceiveCount,
      visibilityTimeoutSeconds: config.STACK_VISIBILITY_TIMEOUT_SECONDS,
    },
  });
  process.stdout.write(
    options.json
      ? `${JSON.stringify({ endpoint: stack.endpoint, dataDir: dataDir ?? null, env: stack.serviceEnv() })}\n`
      : describeStack(stack, dataDir),
  );

  const outcome = await new Promise<{ signal: string } | { died: Error }>((resolve) => {
    process.once('SIGINT', () => resolve({ signal: 'SIGINT' }));
    process.once('SIGTERM', () => resolve({ signal: 'SIGTERM' }));
    void stack.died.then((died) => resolve({ died }));
    // An emulator that throws from inside its request handling (e.g. its database failing) must stop
    // the stack with a clear message, not a stack trace.
    process.once('uncaughtException', (error) => resolve({ died: error }));
  });
  await stack.stop();
  if ('died' in outcome) {
    process.stderr.write(`error STACK_EMULATOR_FAILED: ${outcome.died.message}; the stack has stopped\n`);
    return 1;
  }
  process.stderr.write(`local stack stopped (${outcome.signal})\n`);
  return 0;
}

await runMain(main);

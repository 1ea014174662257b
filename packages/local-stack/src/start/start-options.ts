import { Command } from 'commander';
import { parsePort } from '../port-option.ts';
import type { StartConfig } from './start-config.ts';

export interface StartOptions {
  readonly port: number;
  readonly apiPort: number;
  readonly logsDir: string;
  readonly samples: boolean;
  readonly exitAfterSamples?: boolean;
  readonly inMemory: boolean;
  readonly json?: boolean;
}

/** `pnpm start`'s command line; each option's default comes from its variable in `config`. */
export function startProgram(config: StartConfig): Command {
  return new Command('start')
    .description(
      'Run the whole pipeline locally: AWS stack, upload API, trigger + processor; upload the samples.',
    )
    .option(
      '-p, --port <port>',
      'port of the local AWS endpoint (0 = any free port) [env STACK_PORT]',
      parsePort,
      config.STACK_PORT,
    )
    .option(
      '--api-port <port>',
      'port of the upload API (0 = any free port) [env API_PORT]',
      parsePort,
      config.API_PORT,
    )
    .option(
      '--logs-dir <dir>',
      "folder of the API's, processors' and trigger's logs [env START_LOGS_DIR]",
      config.START_LOGS_DIR,
    )
    .option('--no-samples', 'do not upload the sample images')
    .option('--exit-after-samples', 'stop everything once the samples are processed and reported')
    .option('--in-memory', 'keep nothing on disk [env STACK_IN_MEMORY]', config.STACK_IN_MEMORY)
    .option('--json', 'JSON lines on stdout for scripts: ready, trigger, samples and stopped events')
    .exitOverride();
}

import { resolve } from 'node:path';
import { createAwsClients } from '@photo-pipeline/shared/aws';
import { runMain } from '@photo-pipeline/shared/cli';
import { loadConfig } from '@photo-pipeline/shared/config';
import { Command } from 'commander';
import { cliArguments } from '../cli-arguments.ts';
import { localCredentials } from '../local-stack.ts';
import { isProcessRunning } from '../process-alive.ts';
import { readStartState, type StartState } from '../start/start-state.ts';
import { collectStatus } from './collect-status.ts';
import { everythingAnswers, renderStatus } from './render-status.ts';
import { statusConfigSchema } from './status-config.ts';

const defaultApiUrl = 'http://127.0.0.1:3000';

/**
 * `pnpm status`: whether the stack and the API answer, the queue and DLQ depths, the local processors,
 * rows by status in the last hour and the last errors. Against a running `pnpm start` (found through its
 * state file) when there is one and AWS_ENDPOINT_URL does not name another endpoint; otherwise against
 * what AWS's standard variables name, without the local-only parts. Exit 0 when everything answers,
 * 1 when a part does not, 2 for bad usage or configuration.
 */
async function main(): Promise<number> {
  const config = loadConfig(statusConfigSchema);
  const program = new Command('status')
    .description('Show the state of the pipeline: stack, API, queues, processors, recent results and errors.')
    .option('--json', 'one JSON document instead of text')
    .addHelpText(
      'after',
      '\nAgainst the running `npm start` (its state file, START_STATE_FILE) unless AWS_ENDPOINT_URL names another\n' +
        'endpoint; otherwise against AWS from the standard variables (AWS_REGION, AWS_PROFILE, AWS_ENDPOINT_URL...),\n' +
        'without the local-only parts (pnpm start, processors). The API: PHOTO_PIPELINE_ENDPOINT.\n' +
        'Exit codes: 0 everything answers; 1 some part does not (named in the output); 2 bad usage or configuration.',
    )
    .exitOverride();
  program.parse(cliArguments(process.argv), { from: 'node' });
  const { json } = program.opts<{ json?: boolean }>();
  const stateFile = resolve(config.INIT_CWD ?? process.cwd(), config.START_STATE_FILE);
  const local = liveStart(readStartState(stateFile), config.AWS_ENDPOINT_URL);
  const awsConfig = local ? loadConfig(statusConfigSchema, local.stack.serviceEnv) : config;
  const clients = createAwsClients(awsConfig, {
    maxAttempts: 1,
    connectionTimeoutMs: 2_000,
    ...(local ? { credentials: localCredentials } : {}),
  });
  try {
    const status = await collectStatus({
      clients,
      config: awsConfig,
      apiUrl: config.PHOTO_PIPELINE_ENDPOINT ?? local?.api.url ?? defaultApiUrl,
      local,
      now: new Date(),
    });
    process.stdout.write(json ? `${JSON.stringify(status, null, 2)}\n` : renderStatus(status, stateFile));
    return everythingAnswers(status) ? 0 : 1;
  } finally {
    clients.destroy();
  }
}

/** The published state, when its `pnpm start` still runs and the environment does not point elsewhere. */
function liveStart(state: StartState | undefined, endpoint: string | undefined): StartState | undefined {
  if (!state || state.stopped || !isProcessRunning(state.pid)) return undefined;
  if (endpoint !== undefined && endpoint.replace(/\/$/, '') !== state.stack.endpoint) return undefined;
  return state;
}

await runMain(main);

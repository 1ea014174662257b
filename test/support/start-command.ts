import { fileURLToPath } from 'node:url';

/** `pnpm start`'s entry point. */
export const startCli = fileURLToPath(
  new URL('../../packages/local-stack/src/start/start-cli.ts', import.meta.url),
);

/** The folders one run of `pnpm start` writes into: its logs, the samples' report, its state file. */
export interface StartFolders {
  readonly logsDir: string;
  readonly reportsDir: string;
  readonly stateFile: string;
}

/** `pnpm start`'s environment for a test: free ports, quick processors, every output in `folders`. */
export function startEnv(folders: StartFolders): NodeJS.ProcessEnv {
  return {
    ...process.env,
    STACK_PORT: '0',
    API_PORT: '0',
    IDLE_EXIT_SECONDS: '2',
    TRIGGER_POLL_INTERVAL_MS: '200',
    START_LOGS_DIR: folders.logsDir,
    START_STATE_FILE: folders.stateFile,
    REPORT_OUTPUT_DIR: folders.reportsDir,
  };
}

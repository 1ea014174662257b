import { fileURLToPath } from 'node:url';

const root = new URL('../../../../', import.meta.url);

/** Where the programs the local pipeline runs live in this repository (run from their TS sources). */
export const repoPaths = {
  root: fileURLToPath(root),
  apiServer: fileURLToPath(new URL('services/api/src/entry/server.ts', root)),
  processorMain: fileURLToPath(new URL('services/processor/src/entry/main.ts', root)),
  resultsCli: fileURLToPath(new URL('services/results/src/entry/cli.ts', root)),
  uploadCli: fileURLToPath(new URL('packages/client/src/cli.ts', root)),
  /** The sample images alone (their README and generator sit one folder up). */
  samples: fileURLToPath(new URL('packages/local-stack/samples/images/', root)),
  /** Defaults of START_LOGS_DIR and START_STATE_FILE. */
  logs: fileURLToPath(new URL('.data/logs/', root)),
  stateFile: fileURLToPath(new URL('.data/start-state.json', root)),
} as const;

/** The command line that runs a TypeScript entry point of this repo with the current Node. */
export function nodeCommand(entry: string, ...args: string[]): [string, ...string[]] {
  return [process.execPath, '--conditions=development', entry, ...args];
}

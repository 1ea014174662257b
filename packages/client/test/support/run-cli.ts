import { fileURLToPath } from 'node:url';
import { type NodeRun, runNodeEntry } from '@photo-pipeline/test-support/run-node-entry';

const cliEntry = fileURLToPath(new URL('../../src/cli.ts', import.meta.url));
const clientFolder = fileURLToPath(new URL('../..', import.meta.url));

export type CliRun = NodeRun;

/** Runs `pnpm upload`'s entry as pnpm would: cwd the client package, INIT_CWD where the user was. */
export function runCli(args: readonly string[], env: Record<string, string>): Promise<CliRun> {
  return runNodeEntry(cliEntry, args, { cwd: clientFolder, env: { PATH: process.env.PATH ?? '', ...env } });
}

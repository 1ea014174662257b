import path from 'node:path';
import { type NodeRun, runNodeEntry } from '@photo-pipeline/test-support/run-node-entry';

export type CliRun = NodeRun;

const workspace = path.resolve(import.meta.dirname, '../..');

/** Runs the results CLI as a separate process, as a user or the ECS task would. */
export function runCli(args: readonly string[], env: Record<string, string>): Promise<CliRun> {
  return runNodeEntry(path.join(workspace, 'src/entry/cli.ts'), args, {
    cwd: workspace,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      AWS_EC2_METADATA_DISABLED: 'true',
      ...env,
    },
    timeoutMs: 30_000,
  });
}

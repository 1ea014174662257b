import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { nodeCommand } from './repo-paths.ts';

/** Runs one of the repo's CLIs (client, results) in the foreground with the terminal, and returns its exit code. */
export async function runTool(
  entry: string,
  args: string[],
  env: Readonly<Record<string, string | undefined>>,
): Promise<number> {
  const [executable, ...rest] = nodeCommand(entry, ...args);
  const child = spawn(executable, rest, { env: { ...env }, stdio: ['ignore', 'inherit', 'inherit'] });
  const [code, signal] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
  return code ?? (signal ? 128 : 1);
}

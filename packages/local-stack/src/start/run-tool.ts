import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { nodeCommand } from './repo-paths.ts';

type ToolEnv = Readonly<Record<string, string | undefined>>;

/**
 * Runs one of the repo's CLIs (client, results) in the foreground with the terminal, and returns its exit
 * code; `signal` stops it (SIGTERM), and the promise then rejects.
 */
export async function runTool(
  entry: string,
  args: string[],
  env: ToolEnv,
  signal?: AbortSignal,
): Promise<number> {
  const [executable, ...rest] = nodeCommand(entry, ...args);
  const child = spawn(executable, rest, { env: { ...env }, stdio: ['ignore', 'inherit', 'inherit'], signal });
  return exitCodeOf(child, 'exit');
}

/**
 * Runs one of the repo's CLIs with `--json` already among `args`, its stderr on the terminal, and returns
 * its exit code with the JSON document it printed (null when it printed none, e.g. on a usage error).
 */
export async function runToolForJson(
  entry: string,
  args: string[],
  env: ToolEnv,
  signal?: AbortSignal,
): Promise<{ exitCode: number; document: unknown }> {
  const [executable, ...rest] = nodeCommand(entry, ...args);
  const child = spawn(executable, rest, { env: { ...env }, stdio: ['ignore', 'pipe', 'inherit'], signal });
  const chunks: Buffer[] = [];
  child.stdout?.on('data', (chunk: Buffer) => chunks.push(chunk));
  // 'close' comes after stdout has ended, so every byte has been read.
  const exitCode = await exitCodeOf(child, 'close');
  const text = Buffer.concat(chunks).toString('utf8').trim();
  try {
    return { exitCode, document: text === '' ? null : JSON.parse(text) };
  } catch {
    return { exitCode, document: { unparsedOutput: text } };
  }
}

async function exitCodeOf(child: ChildProcess, event: 'exit' | 'close'): Promise<number> {
  const [code, signal] = (await once(child, event)) as [number | null, NodeJS.Signals | null];
  return code ?? (signal ? 128 : 1);
}

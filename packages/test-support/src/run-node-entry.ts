import { spawn } from 'node:child_process';

export interface NodeRun {
  /** The exit code; null when the process was killed (e.g. at the time limit). */
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface NodeRunOptions {
  /** The child's whole environment (spread `process.env` in to inherit it); `process.env` by default. */
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  /** SIGKILL after this long. */
  readonly timeoutMs?: number;
}

/**
 * Runs one of the repo's TypeScript entry points as its own Node process, as a user or a container would
 * (development conditions, no standard input), and collects what it printed and its exit code.
 */
export function runNodeEntry(
  entry: string,
  args: readonly string[],
  options: NodeRunOptions = {},
): Promise<NodeRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--conditions=development', entry, ...args], {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    const timer =
      options.timeoutMs === undefined
        ? undefined
        : setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

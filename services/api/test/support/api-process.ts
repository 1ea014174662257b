import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { freeLoopbackPort, waitForHealth } from '@photo-pipeline/local-stack';

const serverEntry = fileURLToPath(new URL('../../src/entry/server.ts', import.meta.url));

export interface ApiProcess {
  readonly url: string;
  readonly child: ChildProcess;
  readonly pid: number;
  readonly lines: string[];
  /** Resident set size now, and its peak since start (VmHWM), in bytes, from /proc. */
  memory(): { rssBytes: number; peakRssBytes: number };
  /** Resolves with the exit code. */
  readonly exited: Promise<number | null>;
  stop(): Promise<number | null>;
}

/**
 * Runs server.ts as its own process (as the container does) and waits for its "listening on" line.
 * With `discardOutput` (benchmarks) its logs go to /dev/null rather than through this process, as they
 * would go to CloudWatch in a container; the port is then chosen here and readiness read from /healthz.
 */
export async function spawnApi(
  env: Record<string, string>,
  options: { discardOutput?: boolean } = {},
): Promise<ApiProcess> {
  const port = options.discardOutput ? await freeLoopbackPort() : 0;
  const output = options.discardOutput ? 'ignore' : 'pipe';
  const child = spawn(process.execPath, ['--conditions=development', serverEntry], {
    env: {
      PATH: process.env.PATH ?? '',
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      RATE_LIMIT_PER_MINUTE: '0',
      ...env,
    },
    stdio: ['ignore', output, output],
  });
  const lines: string[] = [];
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  const exitedEarly = exited.then((code) => {
    throw new Error(`API exited with ${code} before answering /healthz`);
  });
  // Once the API is up this branch has lost the race; its later rejection is expected.
  exitedEarly.catch(() => undefined);
  const started = options.discardOutput
    ? Promise.race([
        waitForHealth(`http://127.0.0.1:${port}`, 20_000).then(() => `http://127.0.0.1:${port}`),
        exitedEarly,
      ])
    : new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`API did not start:\n${lines.join('\n')}`)), 20_000);
        for (const stream of [child.stdout, child.stderr]) {
          if (!stream) continue;
          createInterface({ input: stream }).on('line', (line) => {
            lines.push(line);
            const match = /upload API listening on (http:\/\/[\d.]+:\d+)/.exec(line);
            if (match?.[1]) {
              clearTimeout(timer);
              resolve(match[1]);
            }
          });
        }
        exited.then((code) => reject(new Error(`API exited with ${code}:\n${lines.join('\n')}`)));
      });
  let url: string;
  try {
    url = await started;
  } catch (error) {
    // Never leave a half-started server behind.
    child.kill('SIGKILL');
    throw error;
  }
  const pid = child.pid ?? 0;
  return {
    url,
    child,
    pid,
    lines,
    memory() {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      const kib = (field: string) =>
        Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) * 1024;
      return { rssBytes: kib('VmRSS'), peakRssBytes: kib('VmHWM') };
    },
    exited,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const serverEntry = fileURLToPath(new URL('../../src/server.ts', import.meta.url));

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
  const port = options.discardOutput ? await freePort() : 0;
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
  const started = options.discardOutput
    ? waitForHealth(`http://127.0.0.1:${port}`, exited)
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

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function waitForHealth(url: string, exited: Promise<number | null>): Promise<string> {
  let gone = false;
  exited.then(() => {
    gone = true;
  });
  for (let attempt = 0; attempt < 200 && !gone; attempt += 1) {
    const ok = await fetch(`${url}/healthz`).then(
      (response) => response.ok,
      () => false,
    );
    if (ok) return url;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the API at ${url} did not become healthy`);
}

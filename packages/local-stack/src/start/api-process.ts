import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { PermanentError } from '@photo-pipeline/shared/errors';
import { nodeCommand, repoPaths } from './repo-paths.ts';

export interface ApiProcess {
  /** e.g. http://127.0.0.1:3000 */
  readonly url: string;
  readonly child: ChildProcess;
  /** SIGTERM, then wait for the graceful exit. */
  stop(): Promise<void>;
}

/**
 * Starts the upload API as its own process (as its container would run), with the given environment
 * and PORT (0 = any free port), and resolves once it answers /healthz.
 */
export async function startApiProcess(
  env: Record<string, string | undefined>,
  port: number,
  onLine?: (line: string) => void,
): Promise<ApiProcess> {
  const [executable, ...args] = nodeCommand(repoPaths.apiServer);
  const child = spawn(executable, args, {
    env: { ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const recent: string[] = [];
  const listening = new Promise<string>((resolve) => {
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream }).on('line', (line) => {
        recent.push(line);
        if (recent.length > 20) recent.shift();
        onLine?.(line);
        const match = /listening at (http:\/\/[^\s",]+)/i.exec(line);
        if (match?.[1]) resolve(match[1].replace('localhost', '127.0.0.1'));
      });
    }
  });
  const exited = once(child, 'exit').then(([code]) => {
    throw new PermanentError(
      'INTERNAL',
      `the API exited with code ${code} while starting:\n${recent.join('\n')}`,
    );
  });
  const url = await Promise.race([listening, exited, timeout(30_000, recent)]);
  await waitForHealth(url);
  exited.catch(() => undefined);
  return {
    url,
    child,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}

async function waitForHealth(url: string): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    try {
      if ((await fetch(`${url}/healthz`)).ok) return;
    } catch {
      // not accepting connections yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new PermanentError('INTERNAL', `the API at ${url} did not become healthy`);
}

function timeout(ms: number, recent: string[]): Promise<never> {
  return new Promise((_, reject) => {
    setTimeout(
      () =>
        reject(
          new PermanentError('INTERNAL', `the API did not start within ${ms / 1000}s:\n${recent.join('\n')}`),
        ),
      ms,
    ).unref();
  });
}

import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { apiConfigSchema, loadConfig } from '@photo-pipeline/shared/config';
import { PermanentError } from '@photo-pipeline/shared/errors';
import { assertPortFree, freeLoopbackPort, waitForHealth } from './http-readiness.ts';
import { nodeCommand, repoPaths } from './repo-paths.ts';

export interface ApiProcess {
  /** e.g. http://127.0.0.1:3000 */
  readonly url: string;
  readonly child: ChildProcess;
  /** Settles when the API exits, saying how (it is only meant to exit through `stop`). */
  readonly exited: Promise<string>;
  /** SIGTERM, then wait for the graceful exit. */
  stop(): Promise<void>;
}

const startTimeoutMs = 30_000;
const host = '127.0.0.1';

/**
 * Starts the upload API as its own process (as its container would run), with the given environment
 * and PORT (0 = a free port chosen here), and resolves once it answers /healthz. The environment is
 * checked against the API's schema first, so a bad setting is CONFIG_INVALID naming it (exit 2), not an
 * API that dies while starting.
 */
export async function startApiProcess(
  env: Readonly<Record<string, string | undefined>>,
  port: number,
  onLine?: (line: string) => void,
): Promise<ApiProcess> {
  const chosenPort = port === 0 ? await freeLoopbackPort() : port;
  const url = `http://${host}:${chosenPort}`;
  const apiEnv = { ...env, PORT: String(chosenPort), HOST: host };
  loadConfig(apiConfigSchema, apiEnv);
  await assertPortFree(host, chosenPort);
  const [executable, ...args] = nodeCommand(repoPaths.apiServer);
  const child = spawn(executable, args, {
    env: apiEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const recent: string[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => {
      recent.push(line);
      if (recent.length > 20) recent.shift();
      onLine?.(line);
    });
  }
  const exited = once(child, 'exit').then(([code, signal]) =>
    signal ? `was killed by ${String(signal)}` : `exited with code ${String(code)}`,
  );
  const exitedEarly = exited.then((how) => {
    throw new PermanentError(
      'STACK_SERVICE_FAILED',
      `the upload API ${how} while starting; its last output:\n${recent.join('\n')}`,
    );
  });
  try {
    await Promise.race([waitForHealth(url, startTimeoutMs), exitedEarly]);
    if (child.exitCode !== null || child.signalCode !== null) await exitedEarly;
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  } finally {
    exitedEarly.catch(() => undefined);
  }
  return {
    url,
    child,
    exited,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}

import cluster, { type Worker } from 'node:cluster';
import { once } from 'node:events';
import type { ApiConfig } from '@photo-pipeline/shared/config';
import type { Logger } from '@photo-pipeline/shared/log';

/** Time the primary allows past SHUTDOWN_TIMEOUT_MS before it kills a worker that has not exited. */
const shutdownGraceMs = 5_000;

/**
 * API_WORKERS > 1: this process only forks the workers (each runs this same entry and serves the port
 * through node:cluster) and watches them. SIGTERM or SIGINT is passed on to every worker, which finishes
 * its in-flight uploads as a lone API does; the primary exits 0 once all have exited 0. A worker that
 * stops by itself stops the others and the primary exits 1, so the container is restarted whole.
 */
export async function runClusterPrimary(
  config: Pick<ApiConfig, 'API_WORKERS' | 'SHUTDOWN_TIMEOUT_MS'>,
  logger: Logger,
): Promise<number> {
  const workers = Array.from({ length: config.API_WORKERS }, () => cluster.fork());
  const exits = workers.map((worker) => exitCodeOf(worker));
  logger.info({ workers: workers.length }, `upload API cluster: ${workers.length} worker processes`);

  const outcome = await Promise.race([
    new Promise<{ signal: NodeJS.Signals }>((resolve) => {
      process.once('SIGTERM', () => resolve({ signal: 'SIGTERM' }));
      process.once('SIGINT', () => resolve({ signal: 'SIGINT' }));
    }),
    Promise.race(exits.map((exit, index) => exit.then((code) => ({ index, code })))),
  ]);
  if ('signal' in outcome) {
    logger.info({ signal: outcome.signal }, 'shutting down: passing the signal to every worker');
  } else {
    logger.error(
      { worker: outcome.index + 1, code: outcome.code },
      'an API worker stopped by itself; stopping the others',
    );
  }
  for (const worker of workers) {
    if (!worker.isDead()) worker.process.kill('SIGTERM');
  }
  const backstop = setTimeout(() => {
    for (const worker of workers) if (!worker.isDead()) worker.process.kill('SIGKILL');
  }, config.SHUTDOWN_TIMEOUT_MS + shutdownGraceMs);
  backstop.unref();
  const codes = await Promise.all(exits);
  clearTimeout(backstop);
  if (!('signal' in outcome)) return 1;
  return codes.every((code) => code === 0) ? 0 : 1;
}

async function exitCodeOf(worker: Worker): Promise<number | null> {
  const [code] = (await once(worker, 'exit')) as [number | null];
  return code;
}

import cluster from 'node:cluster';
import { runMain } from '@photo-pipeline/shared/cli';
import { apiConfigSchema, loadConfig } from '@photo-pipeline/shared/config';
import { createLogger } from '@photo-pipeline/shared/log';
import { buildApp } from './app.ts';
import { runClusterPrimary } from './cluster-primary.ts';
import { createAppDeps } from './create-deps.ts';

/**
 * The API's entry. With API_WORKERS > 1 the first process is the cluster primary (cluster-primary.ts)
 * and each worker it forks runs this file again and serves. A serving process: listen, and on SIGTERM or SIGINT stop accepting, let in-flight uploads finish
 * (up to SHUTDOWN_TIMEOUT_MS), then exit.
 */
await runMain(async () => {
  const config = loadConfig(apiConfigSchema);
  const processLogger = createLogger({ service: 'api', level: config.LOG_LEVEL });
  // In a cluster each worker's lines name it.
  const logger = cluster.worker ? processLogger.child({ worker: cluster.worker.id }) : processLogger;
  if (config.API_WORKERS > 1 && cluster.isPrimary) return runClusterPrimary(config, logger);
  const deps = createAppDeps(config, logger);
  const app = await buildApp(deps);
  await app.listen({ port: config.PORT, host: config.HOST });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  logger.info(
    { port, host: config.HOST, auth: config.API_KEYS.length > 0 ? 'api keys required' : 'open' },
    `upload API listening on http://${config.HOST}:${port}`,
  );

  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'));
    process.once('SIGINT', () => resolve('SIGINT'));
  });
  logger.info({ signal }, 'shutting down: no new connections, finishing in-flight uploads');
  const deadline = setTimeout(() => {
    logger.error(
      { timeoutMs: config.SHUTDOWN_TIMEOUT_MS },
      'in-flight uploads did not finish in time; exiting',
    );
    process.exit(1);
  }, config.SHUTDOWN_TIMEOUT_MS);
  deadline.unref();
  await app.close();
  await deps.metrics.flush();
  deps.aws.destroy();
  clearTimeout(deadline);
  logger.info('stopped');
  // A cluster worker's IPC channel to the primary would keep it alive.
  cluster.worker?.disconnect();
  return 0;
});

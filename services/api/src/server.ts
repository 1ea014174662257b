import { apiConfigSchema, loadConfig } from '@photo-pipeline/shared/config';
import { runMain } from '@photo-pipeline/shared/errors';
import { createLogger } from '@photo-pipeline/shared/log';
import { buildApp } from './app.ts';
import { createAppDeps } from './create-deps.ts';

/**
 * The API process: listen, and on SIGTERM or SIGINT stop accepting, let in-flight uploads finish
 * (up to SHUTDOWN_TIMEOUT_MS), then exit.
 */
await runMain(async () => {
  const config = loadConfig(apiConfigSchema);
  const logger = createLogger({ service: 'api', level: config.LOG_LEVEL });
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
  return 0;
});

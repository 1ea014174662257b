import { availableParallelism } from 'node:os';
import { loadConfig, processorConfigSchema } from '@photo-pipeline/shared/config';
import { toAppError } from '@photo-pipeline/shared/errors';
import { createLogger } from '@photo-pipeline/shared/log';
import { createMetrics } from '@photo-pipeline/shared/metrics';
import { uvThreadpoolSize } from '../core/thread-plan.ts';

/**
 * The processor's ECS task entry point. Drains the jobs queue and exits 0 when idle; on SIGTERM it stops
 * receiving, finishes or hands back in-flight messages, and exits 0. Its last stdout line is always one
 * JSON log line with msg "processor exiting", imagesProcessed, imagesFailed and reason (idle|sigterm|error).
 */
async function main(): Promise<number> {
  // At info until the configuration, LOG_LEVEL included, has been checked: a bad value is then reported
  // like any other invalid setting instead of crashing the logger.
  const logger = createLogger({ service: 'processor', level: 'info' });
  const metrics = createMetrics('processor');
  const stop = new AbortController();
  const onSigterm = () => {
    logger.info('SIGTERM received; stopping');
    stop.abort();
  };
  process.once('SIGTERM', onSigterm);
  process.once('SIGINT', onSigterm);

  let exitCode = 0;
  let summary: Record<string, unknown> = { imagesProcessed: 0, imagesFailed: 0, reason: 'error' };
  try {
    const config = loadConfig(processorConfigSchema);
    logger.level = config.LOG_LEVEL;
    // libuv's pool must be sized before its first use; sharp queues its work there.
    process.env.UV_THREADPOOL_SIZE ??= String(uvThreadpoolSize(availableParallelism(), config.CONCURRENCY));
    // Loaded after the pool size is set: sharp and onnxruntime start threads when first used.
    const { runProcessor } = await import('./run-processor.ts');
    summary = { ...(await runProcessor({ config, logger, metrics, stopSignal: stop.signal })) };
  } catch (error) {
    const appError = toAppError(error);
    // A known failure (bad setting, broken model, missing resource) is reported by code and message;
    // only an unexpected one carries its stack.
    const report =
      appError.code === 'INTERNAL'
        ? { err: appError }
        : { ...(appError.details === undefined ? {} : { details: appError.details }) };
    logger.fatal({ ...report, errorCode: appError.code }, appError.message);
    exitCode = appError.exitCode;
  }
  await metrics.flush();
  // A contract line, not a diagnostic: the trigger reads it whatever LOG_LEVEL says.
  logger.child({}, { level: 'info' }).info(summary, 'processor exiting');
  await new Promise<void>((resolve) => logger.flush(() => resolve()));
  return exitCode;
}

const usage = `Usage: processor

The processor task: drains the jobs queue (decode, ONNX model, encode, one result row per image) and
exits 0 after IDLE_EXIT_SECONDS with nothing received; SIGTERM hands in-flight messages back. It takes
no arguments: every setting is an environment variable (see services/processor/README.md).
Exit codes: 0 drained or stopped; 2 bad configuration or model; 1 an unexpected failure.
`;

/** The task takes no arguments: --help prints the usage, anything else is a usage error. */
function usageExitCode(args: readonly string[]): number | undefined {
  if (args.length === 0) return undefined;
  if (args.every((arg) => arg === '--help' || arg === '-h')) {
    process.stdout.write(usage);
    return 0;
  }
  process.stderr.write(`error: unexpected arguments: ${args.join(' ')}\n\n${usage}`);
  return 2;
}

// Handlers abandoned at the stop timeout may still hold sockets or native threads: exit explicitly.
process.exit(usageExitCode(process.argv.slice(2)) ?? (await main()));

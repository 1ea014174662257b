import { availableParallelism } from 'node:os';
import { z } from 'zod';
import { jobsQueueDefaults } from '../resources/queue-settings.ts';
import { awsEnvShape, imageLimitEnvShape, loggingEnvShape, resourceEnvShape } from './common-env.ts';
import { integerFromEnv } from './env-types.ts';

/**
 * Images in flight by default: one more than the cores. An image's model runs on the JavaScript thread
 * while decodes and encodes run on libuv's pool; with one image per core, both cores sit partly idle
 * whenever the images in flight wait on the model together (measured in services/processor/README.md).
 */
export function defaultProcessorConcurrency(cores: number = availableParallelism()): number {
  return Math.min(cores + 1, 32);
}

/** The processor task's environment. Durations and limits carry their unit in the name. */
export const processorConfigSchema = z
  .object({
    ...awsEnvShape,
    ...loggingEnvShape,
    ...resourceEnvShape,
    ...imageLimitEnvShape,
    /** An ONNX model honouring the contract; unset means the default model shipped with the processor. */
    MODEL_PATH: z.string().min(1).optional(),
    EXECUTION_PROVIDER: z
      .enum(['auto', 'cuda', 'cpu'], { message: 'expected auto, cuda or cpu' })
      .default('auto'),
    /** Messages processed at once; sharp's and onnxruntime's threads are split between them. */
    CONCURRENCY: integerFromEnv({ min: 1, max: 32 }).default(() => defaultProcessorConcurrency()),
    /** Exit 0 after this long with nothing received and nothing in flight. */
    IDLE_EXIT_SECONDS: integerFromEnv({ min: 1, max: 86_400 }).default(60),
    /** How long a received message stays hidden; the heartbeat keeps extending it while work goes on. */
    VISIBILITY_TIMEOUT_SECONDS: integerFromEnv({ min: 2, max: 43_200 }).default(
      jobsQueueDefaults.visibilityTimeoutSeconds,
    ),
    /** How often in-flight messages get their visibility extended; must be below the visibility timeout. */
    HEARTBEAT_INTERVAL_SECONDS: integerFromEnv({ min: 1, max: 43_199 }).default(30),
    /** On SIGTERM, how long in-flight messages may run before they are handed back (visibility 0). */
    STOP_TIMEOUT_SECONDS: integerFromEnv({ min: 0, max: 600 }).default(25),
    /** First retry delay of a transiently failed message; doubles per receive, capped at 15 minutes. */
    RETRY_BACKOFF_BASE_SECONDS: integerFromEnv({ min: 0, max: 900 }).default(5),
    /**
     * Rows per inference run for a pointwise model (output pixel from the same input pixel only). Unset:
     * 128 for the built-in model, 0 (whole image in one run) for a MODEL_PATH model.
     */
    MODEL_TILE_ROWS: integerFromEnv({ min: 0, max: 1_000_000 }).optional(),
    /** Quality of JPEG outputs (opaque inputs). */
    JPEG_QUALITY: integerFromEnv({ min: 1, max: 100 }).default(90),
  })
  .refine((config) => config.HEARTBEAT_INTERVAL_SECONDS < config.VISIBILITY_TIMEOUT_SECONDS, {
    message: 'HEARTBEAT_INTERVAL_SECONDS must be below VISIBILITY_TIMEOUT_SECONDS',
    path: ['HEARTBEAT_INTERVAL_SECONDS'],
  });

export type ProcessorConfig = z.output<typeof processorConfigSchema>;

import { fileURLToPath } from 'node:url';
import { booleanFromEnv, integerFromEnv } from '@photo-pipeline/shared/config';
import { jobsQueueDefaults } from '@photo-pipeline/shared/resources';
import { z } from 'zod';

/** Default data folder: .data/local-stack at the repository root (git-ignored). */
export const defaultDataDir = fileURLToPath(new URL('../../../.data/local-stack', import.meta.url));

/** The local stack's environment; command-line options override it. */
export const stackConfigSchema = z.object({
  STACK_PORT: integerFromEnv({ min: 0, max: 65535 }).default(4566),
  STACK_HOST: z.string().min(1).default('127.0.0.1'),
  STACK_DATA_DIR: z.string().min(1).default(defaultDataDir),
  /** Keep nothing on disk. */
  STACK_IN_MEMORY: booleanFromEnv.default(false),
  STACK_MAX_RECEIVE_COUNT: integerFromEnv({ min: 1, max: 1000 }).default(jobsQueueDefaults.maxReceiveCount),
  STACK_VISIBILITY_TIMEOUT_SECONDS: integerFromEnv({ min: 0, max: 43200 }).default(
    jobsQueueDefaults.visibilityTimeoutSeconds,
  ),
  AWS_REGION: z.string().min(1).default('us-east-1'),
});

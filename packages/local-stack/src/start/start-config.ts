import { integerFromEnv } from '@photo-pipeline/shared/config';
import type { z } from 'zod';
import { stackConfigSchema } from '../stack-config.ts';

/** `pnpm start`'s environment: the stack's variables plus the API port and the trigger's knobs. */
export const startConfigSchema = stackConfigSchema.extend({
  API_PORT: integerFromEnv({ min: 0, max: 65535 }).default(3000),
  TRIGGER_POLL_INTERVAL_MS: integerFromEnv({ min: 50, max: 60_000 }).default(1000),
  TRIGGER_MAX_PROCESSORS: integerFromEnv({ min: 1, max: 16 }).default(2),
  TRIGGER_BACKLOG_PER_PROCESSOR: integerFromEnv({ min: 1 }).default(100),
  /** A processor failing sooner than this after starting is not restarted (the AWS backstop's 60 s). */
  TRIGGER_STARTUP_FAILURE_SECONDS: integerFromEnv({ min: 0, max: 3600 }).default(60),
});

export type StartConfig = z.output<typeof startConfigSchema>;

import { integerFromEnv } from '@photo-pipeline/shared/config';
import { scalingEnvShape } from '@photo-pipeline/shared/scaling';
import type { z } from 'zod';
import { stackConfigSchema } from '../stack-config.ts';

/** `pnpm start`'s environment: the stack's variables plus the API port and the trigger's knobs. */
export const startConfigSchema = stackConfigSchema.extend({
  API_PORT: integerFromEnv({ min: 0, max: 65535 }).default(3000),
  TRIGGER_POLL_INTERVAL_MS: integerFromEnv({ min: 50, max: 60_000 }).default(1000),
  ...scalingEnvShape,
  /** A processor failing sooner than this after starting is not restarted (the AWS backstop's 60 s). */
  TRIGGER_STARTUP_FAILURE_SECONDS: integerFromEnv({ min: 0, max: 3600 }).default(60),
});

export type StartConfig = z.output<typeof startConfigSchema>;

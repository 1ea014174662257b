import { integerFromEnv } from '@photo-pipeline/shared/config';
import { scalingEnvShape } from '@photo-pipeline/shared/scaling';
import { z } from 'zod';
import { stackConfigSchema } from '../stack-config.ts';
import { repoPaths } from './repo-paths.ts';

/** Where a running `pnpm start` publishes its state, for `pnpm status` to read. */
export const startStateFileEnvShape = {
  START_STATE_FILE: z.string().min(1).default(repoPaths.stateFile),
} as const;

/** `pnpm start`'s environment: the stack's variables plus the API port and the trigger's knobs. */
export const startConfigSchema = stackConfigSchema.extend({
  API_PORT: integerFromEnv({ min: 0, max: 65535 }).default(3000),
  TRIGGER_POLL_INTERVAL_MS: integerFromEnv({ min: 50, max: 60_000 }).default(1000),
  ...scalingEnvShape,
  /** A processor failing sooner than this after starting is not restarted (the AWS backstop's 60 s). */
  TRIGGER_STARTUP_FAILURE_SECONDS: integerFromEnv({ min: 0, max: 3600 }).default(60),
  /** Folder of the API's, the processors' and the trigger's log files. */
  START_LOGS_DIR: z.string().min(1).default(repoPaths.logs),
  ...startStateFileEnvShape,
  /** Where the user ran `npm start` (npm and pnpm set it): relative folders resolve against it. */
  INIT_CWD: z.string().min(1).optional(),
});

export type StartConfig = z.output<typeof startConfigSchema>;

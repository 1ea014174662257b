import { z } from 'zod';
import { awsEnvShape, loggingEnvShape, resourceEnvShape } from './common-env.ts';
import { integerFromEnv, listFromEnv } from './env-types.ts';

/** The upload API's environment. Limits carry their unit in the name. */
export const apiConfigSchema = z.object({
  ...awsEnvShape,
  ...loggingEnvShape,
  ...resourceEnvShape,
  PORT: integerFromEnv({ min: 0, max: 65535 }).default(3000),
  /** Loopback by default; the container image sets 0.0.0.0. */
  HOST: z.string().min(1).default('127.0.0.1'),
  /** Comma-separated bearer keys; empty means the API is open (the local default). */
  API_KEYS: listFromEnv.default([]),
});

export type ApiConfig = z.output<typeof apiConfigSchema>;

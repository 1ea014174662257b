import { urlFromEnv } from '@photo-pipeline/shared/config';
import { z } from 'zod';

/** The client's environment: fallbacks for --endpoint and --api-key, and where pnpm was started. */
export const clientConfigSchema = z.object({
  PHOTO_PIPELINE_ENDPOINT: urlFromEnv.default('http://127.0.0.1:3000'),
  PHOTO_PIPELINE_API_KEY: z.string().min(1).optional(),
  /** Set by pnpm to the directory `pnpm upload` was run from; relative paths are resolved against it. */
  INIT_CWD: z.string().min(1).optional(),
});

export type ClientConfig = z.output<typeof clientConfigSchema>;

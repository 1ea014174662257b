import { terminalEnvShape } from '@photo-pipeline/shared/config';
import { z } from 'zod';

/** What an API endpoint must be, from the environment or --endpoint. */
export const endpointRequirement = 'expected an http:// or https:// URL such as http://127.0.0.1:3000';

/** Whether a URL can be an API endpoint: only http and https are spoken. */
export function isHttpEndpoint(value: string): boolean {
  const url = URL.parse(value);
  return url?.protocol === 'http:' || url?.protocol === 'https:';
}

/** The client's environment: fallbacks for --endpoint and --api-key, and where pnpm was started. */
export const clientConfigSchema = z.object({
  ...terminalEnvShape,
  PHOTO_PIPELINE_ENDPOINT: z
    .string()
    .refine(isHttpEndpoint, { message: endpointRequirement })
    .default('http://127.0.0.1:3000'),
  PHOTO_PIPELINE_API_KEY: z.string().min(1).optional(),
  /** Set by pnpm to the directory `pnpm upload` was run from; relative paths are resolved against it. */
  INIT_CWD: z.string().min(1).optional(),
});

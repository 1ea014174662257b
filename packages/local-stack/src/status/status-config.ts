import { awsEnvShape, resourceEnvShape, urlFromEnv } from '@photo-pipeline/shared/config';
import { z } from 'zod';
import { startStateFileEnvShape } from '../start/start-config.ts';

/**
 * `pnpm status`'s environment: AWS's standard variables and the resource names, as every service reads
 * them, the API's URL as the upload client reads it, and where a running `pnpm start` publishes its state.
 */
export const statusConfigSchema = z.object({
  ...awsEnvShape,
  ...resourceEnvShape,
  ...startStateFileEnvShape,
  PHOTO_PIPELINE_ENDPOINT: urlFromEnv.optional(),
  INIT_CWD: z.string().min(1).optional(),
});

export type StatusConfig = z.output<typeof statusConfigSchema>;

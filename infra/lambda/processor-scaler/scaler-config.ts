import { integerFromEnv, listFromEnv } from '@photo-pipeline/shared/config';
import { scalingEnvShape } from '@photo-pipeline/shared/scaling';
import { z } from 'zod';

/** The scaler Lambda's environment, set by the ProcessorTrigger construct; parsed once at cold start. */
export const scalerConfigSchema = z.object({
  CLUSTER_ARN: z.string().startsWith('arn:'),
  TASK_FAMILY: z.string().min(1),
  TASK_DEFINITION_ARN: z.string().startsWith('arn:'),
  CAPACITY_PROVIDER: z.string().min(1),
  JOBS_QUEUE_URL: z.string().url(),
  SUBNET_IDS: listFromEnv,
  SECURITY_GROUP_IDS: listFromEnv,
  /** A task of this revision that failed sooner than this after starting holds the scaler (no relaunch loop). */
  MIN_RUN_SECONDS: integerFromEnv({ min: 0, max: 3600 }).default(60),
  ...scalingEnvShape,
});

export type ScalerConfig = z.output<typeof scalerConfigSchema>;

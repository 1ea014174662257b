import { z } from 'zod';
import { defaultResourceNames } from '../resources/resource-names.ts';
import { booleanFromEnv, integerFromEnv, logLevelFromEnv, urlFromEnv } from './env-types.ts';

/**
 * Variables every service reads. Endpoints are the AWS SDK's own standard variables; nothing here
 * asks whether we are local: an unset endpoint means the SDK's regional AWS endpoint.
 */
export const awsEnvShape = {
  AWS_REGION: z.string().min(1).default('us-east-1'),
  AWS_ENDPOINT_URL: urlFromEnv.optional(),
  AWS_ENDPOINT_URL_S3: urlFromEnv.optional(),
  AWS_ENDPOINT_URL_SQS: urlFromEnv.optional(),
  AWS_ENDPOINT_URL_DYNAMODB: urlFromEnv.optional(),
  /** Path-style S3 addressing (bucket in the path), which the emulators need. */
  S3_FORCE_PATH_STYLE: booleanFromEnv.default(false),
} as const;

/** For the CLIs' tables: the width to fit (like ls); the terminal's own width when unset. */
export const terminalEnvShape = {
  COLUMNS: integerFromEnv({ min: 1, max: 10_000 }).optional(),
} as const;

export const loggingEnvShape = {
  LOG_LEVEL: logLevelFromEnv.default('info'),
} as const;

/**
 * The pixel limit the API checks on the header as an upload starts (422) and the processor checks before
 * decoding (a FAILED row): one setting with one default, so the API never accepts an image that the
 * processor's default would refuse.
 */
export const imageLimitEnvShape = {
  /** Width x height above which an image is refused with IMAGE_TOO_MANY_PIXELS. */
  MAX_IMAGE_PIXELS: integerFromEnv({ min: 1, max: 1_000_000_000 }).default(50_000_000),
} as const;

/** Names of the shared resources; defaults are the ones the local stack provisions. */
export const resourceEnvShape = {
  UPLOADS_BUCKET: z.string().min(3).max(63).default(defaultResourceNames.uploadsBucket),
  PROCESSED_BUCKET: z.string().min(3).max(63).default(defaultResourceNames.processedBucket),
  /** The jobs queue's URL; when unset it is looked up by JOBS_QUEUE_NAME. */
  JOBS_QUEUE_URL: urlFromEnv.optional(),
  JOBS_QUEUE_NAME: z.string().min(1).max(80).default(defaultResourceNames.jobsQueue),
  RESULTS_TABLE: z.string().min(3).max(255).default(defaultResourceNames.resultsTable),
} as const;

export const awsEnvSchema = z.object(awsEnvShape);
export type AwsEnv = z.output<typeof awsEnvSchema>;

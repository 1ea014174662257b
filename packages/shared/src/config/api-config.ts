import { availableParallelism } from 'node:os';
import { z } from 'zod';
import { awsEnvShape, imageLimitEnvShape, loggingEnvShape, resourceEnvShape } from './common-env.ts';
import { integerFromEnv, listFromEnv, trustProxyFromEnv } from './env-types.ts';

/** The upload API's environment. Limits carry their unit in the name. */
export const apiConfigSchema = z.object({
  ...awsEnvShape,
  ...loggingEnvShape,
  ...resourceEnvShape,
  ...imageLimitEnvShape,
  PORT: integerFromEnv({ min: 0, max: 65535 }).default(3000),
  /** Loopback by default; the container image sets 0.0.0.0. */
  HOST: z.string().min(1).default('127.0.0.1'),
  /** Comma-separated bearer keys; empty means the API is open (the local default). */
  API_KEYS: listFromEnv.default([]),
  /** Largest accepted file; enforced while streaming (413 PAYLOAD_TOO_LARGE). 100 MiB by default. */
  MAX_UPLOAD_BYTES: integerFromEnv({ min: 1 }).default(100 * 1024 * 1024),
  /** File parts in one request (413 TOO_MANY_FILES). */
  MAX_FILES_PER_REQUEST: integerFromEnv({ min: 1, max: 100 }).default(10),
  /** Non-file fields in one request (413 TOO_MANY_FILES). */
  MAX_FIELDS_PER_REQUEST: integerFromEnv({ min: 0, max: 100 }).default(10),
  /** Size of one non-file field's value (413 PAYLOAD_TOO_LARGE). */
  MAX_FIELD_BYTES: integerFromEnv({ min: 1, max: 1024 * 1024 }).default(1024),
  /** Requests per minute per API key (or client address when the API is open); 0 turns the limit off. */
  RATE_LIMIT_PER_MINUTE: integerFromEnv({ min: 0 }).default(600),
  /**
   * Uploads handled at once; more are answered 503 OVERLOADED with Retry-After. A large upload holds up
   * to about 15 MiB of part buffers, so 32 fits a 1 GiB task.
   */
  MAX_CONCURRENT_UPLOADS: integerFromEnv({ min: 1 }).default(32),
  /** Status requests (GET /v1/images...) per minute per API key or address; 0 turns the limit off. */
  STATUS_RATE_LIMIT_PER_MINUTE: integerFromEnv({ min: 0 }).default(1_200),
  /**
   * Failed authentications (401) per minute per client address; past it every request from the address
   * is answered 429 until the minute is over, the right key included. 0 turns the limit off.
   */
  AUTH_FAILURES_PER_MINUTE: integerFromEnv({ min: 0 }).default(20),
  /**
   * Uploads one client (API key, or address when the API is open) may have in progress at once; more
   * are answered 429 RATE_LIMITED, so a few slow clients cannot take every upload slot.
   */
  MAX_UPLOADS_PER_CLIENT: integerFromEnv({ min: 1 }).default(16),
  /** An upload whose body sends no byte for this long is ended (UPLOAD_ABORTED) and rolled back; 0 turns it off. */
  UPLOAD_IDLE_TIMEOUT_MS: integerFromEnv({ min: 0 }).default(30_000),
  /**
   * Average body bytes per second below which an upload is ended (UPLOAD_ABORTED) and rolled back, checked
   * once it has run for UPLOAD_IDLE_TIMEOUT_MS; 0 turns it off.
   */
  UPLOAD_MIN_BYTES_PER_SECOND: integerFromEnv({ min: 0 }).default(1024),
  /** Event-loop delay above which requests are answered 503 OVERLOADED; 0 turns the check off. */
  MAX_EVENT_LOOP_DELAY_MS: integerFromEnv({ min: 0 }).default(1_000),
  /** Longest time one request (a whole upload) may take before the connection is closed. */
  REQUEST_TIMEOUT_MS: integerFromEnv({ min: 1_000 }).default(15 * 60 * 1000),
  /**
   * Take the client address from X-Forwarded-For behind a load balancer, so rate limits of an open API
   * apply per client rather than per load-balancer node: the VPC's CIDR block behind the ALB (see
   * trustProxyFromEnv).
   */
  TRUST_PROXY: trustProxyFromEnv.default(false),
  /**
   * API processes sharing the port through node:cluster: a number, or `auto` for one per available core.
   * 1 (the default) serves from the one process, with no cluster primary.
   */
  API_WORKERS: z
    .union([z.literal('auto'), integerFromEnv({ min: 1, max: 256 })], {
      message: 'expected a whole number from 1 to 256, or auto',
    })
    .transform((value) => (value === 'auto' ? availableParallelism() : value))
    .default(1),
  /** On SIGTERM, how long in-flight uploads may take to finish before the process exits anyway. */
  SHUTDOWN_TIMEOUT_MS: integerFromEnv({ min: 0 }).default(25_000),
});

export type ApiConfig = z.output<typeof apiConfigSchema>;

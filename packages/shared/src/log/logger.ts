import { type DestinationStream, type Logger, pino, stdSerializers } from 'pino';

export type { Logger } from 'pino';

export interface LoggerOptions {
  readonly service: string;
  readonly level?: string;
  /** Where lines go; stdout by default. Tests hand in a stream to read lines back. */
  readonly destination?: DestinationStream;
}

/** Request headers that carry credentials. */
const secretHeaders = ['authorization', '["proxy-authorization"]', 'cookie', '["x-api-key"]'];

/**
 * Every place our code and our libraries log request headers (fastify's `req`, @fastify/multipart's
 * `busboyOptions` at trace level, an error's `headers`), and the API's keys. Explicit paths, not
 * wildcards: pino's redaction with a leading wildcard walks every logged object and cost ~10 us per
 * line; these cost nothing measurable. The API's trace-level test fails if a key shows up anywhere else.
 */
const redactedPaths = [
  ...[
    'headers',
    'req.headers',
    'request.headers',
    'busboyOptions.headers',
    'err.headers',
    'options.headers',
  ].flatMap((holder) =>
    secretHeaders.map((header) => `${holder}${header.startsWith('[') ? '' : '.'}${header}`),
  ),
  ...['authorization', 'apiKey', 'apiKeys', 'API_KEYS', 'config.API_KEYS'],
];

/**
 * The one JSON logger of a process. Context (requestId, imageId, batchId, messageId) is added with
 * `logger.child({...})`; errors are logged as `{ err }`. Credentials (Authorization, cookies, API keys)
 * are never written, at any level.
 */
export function createLogger(options: LoggerOptions): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      base: { service: options.service },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      serializers: { err: stdSerializers.err },
      redact: { paths: redactedPaths, censor: '[redacted]' },
    },
    options.destination ?? pino.destination({ fd: 1, sync: false }),
  );
}

import { type DestinationStream, type Logger, pino, stdSerializers } from 'pino';

export type { Logger } from 'pino';

export interface LoggerOptions {
  readonly service: string;
  readonly level?: string;
  /** Where lines go; stdout by default. Tests hand in a stream to read lines back. */
  readonly destination?: DestinationStream;
}

/**
 * The one JSON logger of a process. Context (requestId, imageId, batchId, messageId) is added with
 * `logger.child({...})`; errors are logged as `{ err }`. Authorization headers are never written.
 */
export function createLogger(options: LoggerOptions): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      base: { service: options.service },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      serializers: { err: stdSerializers.err },
      redact: {
        paths: ['req.headers.authorization', 'headers.authorization', '*.apiKey', 'apiKeys'],
        censor: '[redacted]',
      },
    },
    options.destination ?? pino.destination({ fd: 1, sync: false }),
  );
}

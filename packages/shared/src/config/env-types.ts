import { z } from 'zod';

/** Environment-variable value types with the messages a user should see when one is wrong. */

export const booleanFromEnv = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'expected true or false' })
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

export function integerFromEnv(options: { min?: number; max?: number } = {}) {
  const min = options.min ?? Number.MIN_SAFE_INTEGER;
  const max = options.max ?? Number.MAX_SAFE_INTEGER;
  return z
    .string()
    .regex(/^-?\d+$/, { message: 'expected a whole number' })
    .transform(Number)
    .refine((n) => n >= min && n <= max, { message: `expected a whole number from ${min} to ${max}` });
}

export function numberFromEnv(options: { min?: number; max?: number } = {}) {
  const min = options.min ?? -Number.MAX_VALUE;
  const max = options.max ?? Number.MAX_VALUE;
  return z
    .string()
    .regex(/^-?\d+(\.\d+)?$/, { message: 'expected a number' })
    .transform(Number)
    .refine((n) => n >= min && n <= max, { message: `expected a number from ${min} to ${max}` });
}

export const urlFromEnv = z.url({ message: 'expected a URL such as http://127.0.0.1:4566' });

/** A comma-separated list; empty entries are dropped. */
export const listFromEnv = z.string().transform((value) =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0),
);

export const logLevelFromEnv = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
  message: 'expected one of fatal, error, warn, info, debug, trace, silent',
});

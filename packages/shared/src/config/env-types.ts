import { isIP } from 'node:net';
import { z } from 'zod';

/** Environment-variable value types with the messages a user should see when one is wrong. */

/** The words a boolean variable may take, for booleanFromEnv and trustProxyFromEnv alike. */
const trueWordList = ['true', '1', 'yes'] as const;
const falseWordList = ['false', '0', 'no'] as const;
const trueWords = new Set<string>(trueWordList);
const falseWords = new Set<string>(falseWordList);

export const booleanFromEnv = z
  .enum([...trueWordList, ...falseWordList], { message: 'expected true or false' })
  .transform((value) => trueWords.has(value));

/** An IPv4 or IPv6 address, optionally with a /prefix (a CIDR block). */
function isAddressOrBlock(value: string): boolean {
  const [address = '', prefix, ...rest] = value.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  return /^\d+$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

/**
 * Which proxies to believe for the client address in X-Forwarded-For: `false`; a comma-separated list
 * of the proxies' addresses or CIDR blocks (behind the ALB: the VPC's block, so the address the ALB
 * appended is the client's and anything the client wrote before it is ignored); or `true`, every hop
 * (the left-most entry, which the client writes itself: only when every proxy in front replaces the
 * header). A bare hop count is not offered: fastify 5 refuses to trust by count alone.
 */
export const trustProxyFromEnv = z
  .string()
  .refine(
    (value) =>
      trueWords.has(value) ||
      falseWords.has(value) ||
      listOf(value).every((entry) => isAddressOrBlock(entry)),
    { message: "expected false, true, or the proxies' addresses or CIDR blocks such as 10.0.0.0/16" },
  )
  .transform((value): boolean | string[] => {
    if (trueWords.has(value)) return true;
    if (falseWords.has(value)) return false;
    return listOf(value);
  });

function listOf(value: string): string[] {
  return value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}

export function integerFromEnv(options: { min?: number; max?: number } = {}) {
  const min = options.min ?? Number.MIN_SAFE_INTEGER;
  const max = options.max ?? Number.MAX_SAFE_INTEGER;
  return z
    .string()
    .regex(/^-?\d+$/, { message: 'expected a whole number' })
    .transform(Number)
    .refine((n) => n >= min && n <= max, { message: `expected a whole number from ${min} to ${max}` });
}

/**
 * An endpoint the AWS SDK can call: an http:// or https:// URL. A bare `localhost:4566` parses as a URL
 * whose scheme is `localhost:`, which the SDK would only refuse later with an UnknownError.
 */
export const urlFromEnv = z.url({
  protocol: /^https?$/,
  message: 'expected an http:// or https:// URL such as http://127.0.0.1:4566',
});

/** A comma-separated list; empty entries are dropped. */
export const listFromEnv = z.string().transform(listOf);

export const logLevelFromEnv = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
  message: 'expected one of fatal, error, warn, info, debug, trace, silent',
});

import type { z } from 'zod';
import { PermanentError } from '../errors/app-error.ts';

export type Environment = Readonly<Record<string, string | undefined>>;

/**
 * Parses the environment once against a service's schema into a frozen, typed object. A missing or
 * invalid variable raises CONFIG_INVALID naming each variable and what it expects.
 */
export function loadConfig<S extends z.ZodType>(
  schema: S,
  env: Environment = process.env,
): Readonly<z.output<S>> {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `  ${issue.path.join('.') || '(environment)'}: ${describeIssue(issue, env)}`,
    );
    throw new PermanentError('CONFIG_INVALID', `invalid configuration:\n${problems.join('\n')}`, {
      details: { variables: parsed.error.issues.map((issue) => issue.path.join('.')) },
    });
  }
  return deepFreeze(parsed.data);
}

function describeIssue(issue: z.core.$ZodIssue, env: Environment): string {
  const name = String(issue.path[0] ?? '');
  const value = env[name];
  if (value === undefined || value === '') return `is required: ${issue.message}`;
  return `${issue.message} (got ${JSON.stringify(value)})`;
}

function deepFreeze<T>(value: T): Readonly<T> {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

import { createHash, timingSafeEqual } from 'node:crypto';
import { PermanentError } from '@photo-pipeline/shared/errors';

export interface ApiKeyCheck {
  /** Whether any key is configured; without keys the API is open. */
  readonly enabled: boolean;
  /**
   * The principal for an Authorization header: "open" when no keys are configured, otherwise
   * "key:<digest prefix>" for a known bearer key. Throws UNAUTHORIZED for a missing or wrong key.
   */
  principalOf(authorization: string | undefined): string;
}

const digest = (value: string): Buffer => createHash('sha256').update(value).digest();

/** Checks bearer keys against the configured ones in constant time; keys are only held as digests. */
export function createApiKeyCheck(keys: readonly string[]): ApiKeyCheck {
  const known = keys.map(digest);
  return {
    enabled: known.length > 0,
    principalOf(authorization) {
      if (known.length === 0) return 'open';
      const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
      const token = match?.[1];
      if (!token) {
        throw new PermanentError('UNAUTHORIZED', 'missing API key: send Authorization: Bearer <key>');
      }
      const candidate = digest(token);
      // Compare against every key, so the time taken does not tell which one nearly matched.
      let found = false;
      for (const key of known) found = timingSafeEqual(key, candidate) || found;
      if (!found) throw new PermanentError('UNAUTHORIZED', 'the API key is not valid');
      return `key:${candidate.toString('hex').slice(0, 16)}`;
    },
  };
}

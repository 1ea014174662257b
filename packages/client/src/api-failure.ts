import { errorReplySchema, parseJson } from './api-replies.ts';

/** Why one HTTP exchange with the API failed, as the retry policy and the summary need it. */
export interface ApiFailure {
  /** The API's error code, or NETWORK for a connection failure, or HTTP_<status> for a non-JSON error. */
  readonly code: string;
  readonly message: string;
  readonly status?: number;
  readonly retryable: boolean;
  /** From a Retry-After header. */
  readonly retryAfterMs?: number;
}

const retryableStatuses = new Set([408, 429, 502, 503, 504]);

/** Reads an API error reply (JSON `{ error: { code, message, retryable } }`) or anything else a proxy sent. */
export function failureFromReply(status: number, body: string, retryAfter: string | undefined): ApiFailure {
  const retryAfterMs = parseRetryAfter(retryAfter);
  const timing = retryAfterMs === undefined ? {} : { retryAfterMs };
  const parsed = errorReplySchema.safeParse(parseJson(body));
  if (parsed.success) {
    const { code, message, retryable } = parsed.data.error;
    return { code, message, status, retryable: retryable ?? retryableStatuses.has(status), ...timing };
  }
  // Not the API's error body (a proxy's HTML page, say): described by its status.
  return {
    code: `HTTP_${status}`,
    message: `the API answered ${status}${body ? `: ${body.slice(0, 200)}` : ''}`,
    status,
    retryable: retryableStatuses.has(status),
    ...timing,
  };
}

export function networkFailure(error: unknown): ApiFailure {
  const code = error && typeof error === 'object' && 'code' in error ? String(error.code) : undefined;
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'NETWORK', message: code ? `${code}: ${message}` : message, retryable: true };
}

function parseRetryAfter(value: string | undefined): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

export class ApiFailureError extends Error {
  override readonly name = 'ApiFailureError';
  readonly failure: ApiFailure;
  constructor(failure: ApiFailure) {
    super(failure.message);
    this.failure = failure;
  }
}

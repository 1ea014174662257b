import { PermanentError } from '@photo-pipeline/shared/errors';
import { errorReplySchema, parseJson, readinessReplySchema } from './api-replies.ts';

export type ApiReadiness =
  | { readonly ready: true }
  /** The API answers, but S3 or SQS do not (yet): uploads are tried, and retried. */
  | { readonly ready: false; readonly unavailable: string };

/**
 * Asks the API once, before anything is uploaded, whether it is there (GET /readyz). Nothing answering,
 * or something that is not the upload API (the AWS endpoint, another server), is API_UNREACHABLE (exit 2)
 * with what to do, instead of every file retried against it.
 */
export async function checkApi(
  endpoint: string,
  apiKey: string | undefined,
  timeoutMs = 5_000,
): Promise<ApiReadiness> {
  const url = new URL('readyz', endpoint.endsWith('/') ? endpoint : `${endpoint}/`);
  let reply: Response;
  try {
    reply = await fetch(url, {
      headers: apiKey ? { authorization: `Bearer ${apiKey}` } : {},
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (cause) {
    throw new PermanentError(
      'API_UNREACHABLE',
      `API not reachable at ${endpoint}: is \`npm start\` running? (${describeCause(cause)})`,
      { cause },
    );
  }
  const body = await reply.text();
  const json = parseJson(body);
  // The API's own error (a missing key, say) is reported per file, as for any upload.
  if (errorReplySchema.safeParse(json).success) return { ready: true };
  const readiness = readinessReplySchema.safeParse(json);
  if (readiness.success) {
    if (readiness.data.status === 'ready') return { ready: true };
    const unavailable = Object.entries(readiness.data.checks)
      .filter(([, state]) => state !== 'ok')
      .map(([name, state]) => `${name}: ${state}`)
      .join('; ');
    return { ready: false, unavailable };
  }
  if (looksLikeAws(reply, body)) {
    throw new PermanentError(
      'API_UNREACHABLE',
      `${endpoint} looks like the AWS endpoint (S3/SQS/DynamoDB), not the upload API; point --endpoint or PHOTO_PIPELINE_ENDPOINT at the API (npm start prints its URL, http://127.0.0.1:3000 by default)`,
    );
  }
  throw new PermanentError(
    'API_UNREACHABLE',
    `${endpoint} does not answer as the upload API (GET /readyz: ${reply.status}); is it the API's URL?`,
  );
}

/** S3 and the AWS emulators answer with their request-id headers or an XML error document. */
function looksLikeAws(reply: Response, body: string): boolean {
  return (
    reply.headers.has('x-amz-request-id') ||
    reply.headers.has('x-amzn-requestid') ||
    /^\s*<\?xml[\s\S]*<Error>/.test(body) ||
    /^\s*<Error>/.test(body)
  );
}

function describeCause(cause: unknown): string {
  const inner = cause instanceof Error && cause.cause instanceof Error ? cause.cause : cause;
  if (inner && typeof inner === 'object' && 'code' in inner && typeof inner.code === 'string')
    return inner.code;
  return inner instanceof Error ? inner.message : String(inner);
}

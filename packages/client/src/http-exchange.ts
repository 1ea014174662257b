import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Readable } from 'node:stream';
import { ApiFailureError, failureFromReply, networkFailure } from './api-failure.ts';

export interface Exchange {
  readonly method: 'GET' | 'POST';
  readonly url: URL;
  readonly headers: Record<string, string>;
  readonly body?: Readable;
  /** Aborts the exchange; a connection that goes quiet longer than this fails with NETWORK. */
  readonly idleTimeoutMs: number;
}

export interface Reply {
  readonly status: number;
  readonly headers: IncomingMessage['headers'];
  readonly json: unknown;
}

/**
 * One HTTP request with a streamed body. Resolves with a 2xx JSON reply; rejects with ApiFailureError.
 * An API that answers early (e.g. 413 while the body is still being sent) is heard, not lost as EPIPE.
 */
export function exchange(spec: Exchange): Promise<Reply> {
  return new Promise<Reply>((resolve, reject) => {
    const send = spec.url.protocol === 'https:' ? httpsRequest : httpRequest;
    let settled = false;
    let replied = false;
    const fail = (error: unknown) => {
      if (settled) return;
      settled = true;
      request.destroy();
      reject(error instanceof ApiFailureError ? error : new ApiFailureError(networkFailure(error)));
    };
    const request = send(spec.url, { method: spec.method, headers: spec.headers }, (response) => {
      replied = true;
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', fail);
      response.on('aborted', () => fail(new Error('the connection closed in the middle of the reply')));
      response.on('end', () => {
        if (settled) return;
        settled = true;
        const text = Buffer.concat(chunks).toString('utf8');
        const status = response.statusCode ?? 0;
        if (status < 200 || status > 299) {
          const retryAfter = response.headers['retry-after'];
          reject(
            new ApiFailureError(
              failureFromReply(status, text, Array.isArray(retryAfter) ? retryAfter[0] : retryAfter),
            ),
          );
          return;
        }
        try {
          resolve({ status, headers: response.headers, json: JSON.parse(text) });
        } catch {
          reject(
            new ApiFailureError({
              code: 'HTTP_INVALID_JSON',
              message: `the API answered ${status} with a body that is not JSON`,
              status,
              retryable: false,
            }),
          );
        }
      });
    });
    request.setTimeout(spec.idleTimeoutMs, () => fail(new Error(`no progress for ${spec.idleTimeoutMs} ms`)));
    request.on('error', (error) => {
      // Writing after the server replied early and closed: the reply, already being read, decides.
      if (replied) return;
      fail(error);
    });
    if (spec.body) {
      spec.body.on('error', fail);
      spec.body.pipe(request);
    } else {
      request.end();
    }
  });
}

import { createServer } from 'node:net';
import { jpegBytes } from '@photo-pipeline/test-support/image-builders';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiHarness, postImages, startApiHarness } from '../support/api-harness.ts';
import { multipartRequest, type RawReply, writeThenRead } from '../support/raw-http.ts';

let api: ApiHarness;
beforeAll(async () => {
  api = await startApiHarness();
});
afterAll(async () => {
  await api?.close();
});

interface ErrorBody {
  error: { code: string; message: string; requestId: string; retryable: boolean; details?: unknown };
}

/** The documented error shape, the request id in the body and header alike, and helmet's headers. */
function expectDocumentedError(reply: { headers: Record<string, string>; body: unknown }, code: string) {
  const body = reply.body as ErrorBody;
  expect(Object.keys(body)).toEqual(['error']);
  expect(body.error).toMatchObject({ code, retryable: expect.any(Boolean) });
  expect(body.error.message).toEqual(expect.any(String));
  expect(body.error.message).not.toContain('[object Object]');
  expect(body.error.requestId).toMatch(/^[A-Za-z0-9._:-]{1,128}$/);
  expect(reply.headers['x-request-id']).toBe(body.error.requestId);
  expect(reply.headers['x-content-type-options']).toBe('nosniff');
  expect(reply.headers['content-security-policy']).toContain("default-src 'self'");
}

const viaFetch = async (path: string, init?: RequestInit) => {
  const response = await fetch(`${api.url}${path}`, init);
  return {
    status: response.status,
    headers: Object.fromEntries(response.headers),
    body: JSON.parse(await response.text()) as unknown,
  };
};

const parsed = (reply: RawReply) => ({ ...reply, body: JSON.parse(reply.body) as unknown });

describe('every reply has the documented error shape', () => {
  it('answers an unknown route 404 NOT_FOUND with a readable message (not "[object Object]")', async () => {
    const reply = await viaFetch('/no/such/route?x=1');

    expect(reply.status).toBe(404);
    expectDocumentedError(reply, 'NOT_FOUND');
    expect((reply.body as ErrorBody).error.message).toBe('no route GET /no/such/route?x=1');
  });

  it('answers a request the HTTP parser refuses 400 INVALID_ARGUMENT with a request id and security headers', async () => {
    const reply = parsed(
      await writeThenRead(api.url, ['GET /healthz HTTP/1.1\r\nHost: x\r\nNo colon here\r\n\r\n']),
    );

    expect(reply.status).toBe(400);
    expectDocumentedError(reply, 'INVALID_ARGUMENT');
  });

  it('answers headers over the size limit 431 REQUEST_HEADERS_TOO_LARGE in the same shape', async () => {
    const reply = parsed(
      await writeThenRead(api.url, [
        `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
      ]),
    );

    expect(reply.status).toBe(431);
    expectDocumentedError(reply, 'REQUEST_HEADERS_TOO_LARGE');
  });

  it('answers a URL that cannot be decoded 400 INVALID_ARGUMENT in the same shape', async () => {
    const reply = parsed(
      await writeThenRead(api.url, ['GET /v1/images/%E0%A4%A HTTP/1.1\r\nHost: x\r\n\r\n']),
    );

    expect(reply.status).toBe(400);
    expectDocumentedError(reply, 'INVALID_ARGUMENT');
  });

  it('answers a refused upload (not multipart) in the same shape', async () => {
    const reply = await viaFetch('/v1/images', { method: 'POST', body: 'hello' });

    expect(reply.status).toBe(415);
    expectDocumentedError(reply, 'UNSUPPORTED_MEDIA_TYPE');
  });
});

describe('internal details stay in the log', () => {
  it('says S3 or SQS failed, not the address or the error text, in upload errors and /readyz', async () => {
    // Prepare: an API whose endpoint refuses connections.
    const closedPort = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const address = server.address();
        server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
      });
    });
    const logLines: Record<string, unknown>[] = [];
    const broken = await startApiHarness({
      stack: api.stack,
      logLines,
      env: { AWS_ENDPOINT_URL: `http://127.0.0.1:${closedPort}` },
    });
    try {
      // Act
      const upload = await postImages(broken.url, [{ name: 'a.jpg', bytes: jpegBytes({ bytes: 20_000 }) }]);
      const ready = await fetch(`${broken.url}/readyz`);
      const readyText = await ready.text();

      // Assess
      expect(upload.status).toBe(503);
      const uploadText = JSON.stringify(upload.body);
      expect((upload.body as ErrorBody).error.message).toBe('S3 is unavailable; retry later');
      expect((upload.body as ErrorBody).error.details).toEqual({ dependency: 'S3' });
      expect(ready.status).toBe(503);
      expect(JSON.parse(readyText)).toEqual({
        status: 'unavailable',
        checks: { s3: 'DEPENDENCY_UNAVAILABLE', sqs: 'DEPENDENCY_UNAVAILABLE' },
      });
      for (const text of [uploadText, readyText]) {
        expect(text).not.toContain('127.0.0.1');
        expect(text).not.toContain('ECONNREFUSED');
        expect(text).not.toContain('s3://');
        expect(text).not.toContain('photo-pipeline-uploads');
      }
      // The operator still finds the cause.
      expect(JSON.stringify(logLines)).toContain('ECONNREFUSED');
    } finally {
      await broken.close();
    }
  });
});

describe('a reply sent before the body has arrived', () => {
  it('lets a client that writes its whole body before reading read the 503 of an outage (no EPIPE)', async () => {
    // Prepare: with an Idempotency-Key the API reads its marker first, so an S3 outage is answered
    // before a byte of the 16 MB body is read (more than the kernel's socket buffers hold).
    const objectsBefore = await api.countOriginals();
    const request = multipartRequest(
      api.url,
      { name: 'a.jpg', bytes: jpegBytes({ bytes: 16_000_000 }) },
      {
        'Idempotency-Key': 'outage-early-reply',
      },
    );
    const restore = api.stack.simulateOutage('s3', 'unavailable');

    // Act
    let reply: RawReply;
    try {
      reply = await writeThenRead(api.url, request);
    } finally {
      restore();
    }

    // Assess
    expect(reply.status).toBe(503);
    expect(reply.headers['retry-after']).toBe('5');
    expect((JSON.parse(reply.body) as ErrorBody).error.code).toBe('DEPENDENCY_UNAVAILABLE');
    expect(await api.countOriginals()).toBe(objectsBefore);
  });
});

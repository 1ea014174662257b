import { jpegBytes } from '@photo-pipeline/test-support/image-builders';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiHarness, postImages, startApiHarness } from '../support/api-harness.ts';

let api: ApiHarness;
beforeAll(async () => {
  api = await startApiHarness();
});
afterAll(async () => {
  await api?.close();
});

interface ErrorReply {
  error: { code: string; retryable: boolean };
}

describe('S3 or SQS unavailable', () => {
  for (const [service, mode] of [
    ['s3', 'reset'],
    ['s3', 'unavailable'],
    ['sqs', 'reset'],
    ['sqs', 'unavailable'],
  ] as const) {
    it(`answers 503 with Retry-After when ${service} is down (${mode}), leaves nothing behind, and recovers`, async () => {
      // Prepare
      const file = [{ name: 'o.jpg', bytes: jpegBytes({ bytes: 30_000 }) }];
      const objectsBefore = await api.countOriginals();
      const messagesBefore = await api.countMessages();
      const restore = api.stack.simulateOutage(service, mode);

      // Act
      let during: Awaited<ReturnType<typeof postImages>>;
      let ready: Response;
      try {
        during = await postImages(api.url, file);
        ready = await fetch(`${api.url}/readyz`);
      } finally {
        restore();
      }
      const after = await postImages(api.url, file);

      // Assess
      expect(during.status).toBe(503);
      expect(during.headers.get('retry-after')).toBe('5');
      expect((during.body as ErrorReply).error).toMatchObject({
        code: 'DEPENDENCY_UNAVAILABLE',
        retryable: true,
      });
      expect(ready.status).toBe(503);
      expect(((await ready.json()) as { checks: Record<string, string> }).checks[service]).not.toBe('ok');
      expect(after.status).toBe(202);
      expect(await api.countOriginals()).toBe(objectsBefore + 1);
      expect(await api.countMessages()).toBe(messagesBefore + 1);
    });
  }
});

describe('S3 refusing the request', () => {
  it('answers 502 DEPENDENCY_FAILED, not a 500, when the uploads bucket does not exist, naming S3 but not the bucket', async () => {
    const logLines: Record<string, unknown>[] = [];
    const misconfigured = await startApiHarness({
      stack: api.stack,
      logLines,
      env: { UPLOADS_BUCKET: 'no-such-bucket-here' },
    });
    try {
      const messagesBefore = await api.countMessages();
      const reply = await postImages(misconfigured.url, [
        { name: 'o.jpg', bytes: jpegBytes({ bytes: 30_000 }) },
      ]);
      expect(reply.status).toBe(502);
      expect((reply.body as ErrorReply).error).toMatchObject({ code: 'DEPENDENCY_FAILED', retryable: false });
      expect((reply.body as ErrorReply & { error: { message: string } }).error.message).toBe(
        'S3 refused the request',
      );
      expect(JSON.stringify(reply.body)).not.toContain('no-such-bucket-here');
      expect(JSON.stringify(logLines)).toContain('no-such-bucket-here');
      expect(await api.countMessages()).toBe(messagesBefore);
    } finally {
      await misconfigured.close();
    }
  });
});

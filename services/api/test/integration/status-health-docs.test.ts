import type { ErrorBody, UploadReply } from '@photo-pipeline/shared/contracts';
import { gifBytes } from '@photo-pipeline/test-support/image-builders';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiHarness, postImages, startApiHarness } from '../support/api-harness.ts';

let api: ApiHarness;

beforeAll(async () => {
  api = await startApiHarness();
});
afterAll(async () => {
  await api?.close();
});

describe('health, readiness and docs', () => {
  it('answers /healthz and /readyz with S3 and SQS checked', async () => {
    expect(await (await fetch(`${api.url}/healthz`)).json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${api.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', checks: { s3: 'ok', sqs: 'ok' } });
  });

  it('serves an OpenAPI document generated from the routes, and a docs page with security headers', async () => {
    const document = (await (await fetch(`${api.url}/openapi.json`)).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining(['/v1/images', '/v1/images/{imageId}', '/healthz', '/readyz']),
    );
    expect(JSON.stringify(document.paths['/v1/images']?.post)).toContain('multipart/form-data');
    const page = await fetch(`${api.url}/docs/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    const docsPolicy = page.headers.get('content-security-policy') ?? '';
    expect(docsPolicy).toContain("script-src 'self'");
    expect(docsPolicy).not.toContain('upgrade-insecure-requests');
  });

  it('answers unknown routes with a JSON 404', async () => {
    const response = await fetch(`${api.url}/nope`);
    expect(response.status).toBe(404);
    expect(((await response.json()) as ErrorBody).error.code).toBe('NOT_FOUND');
  });
});

describe('GET /v1/images/{imageId}', () => {
  it('says PENDING for an uploaded image without a result row and UNKNOWN for an id never uploaded', async () => {
    const upload = await postImages(api.url, [{ name: 'p.gif', bytes: gifBytes() }]);
    const imageId = (upload.body as UploadReply).images[0]?.imageId;
    const response = await fetch(`${api.url}/v1/images/${imageId}`);
    expect(await response.json()).toEqual({ imageId, status: 'PENDING' });
    const many = await fetch(`${api.url}/v1/images?ids=${imageId},01ARZ3NDEKTSV4RRFFQ69G5FAV`);
    expect(await many.json()).toEqual({
      images: [
        { imageId, status: 'PENDING' },
        { imageId: '01ARZ3NDEKTSV4RRFFQ69G5FAV', status: 'UNKNOWN' },
      ],
    });
    expect((await fetch(`${api.url}/v1/images/not-an-id`)).status).toBe(400);
  });
});

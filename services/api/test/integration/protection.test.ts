import { gifBytes } from '@photo-pipeline/test-support/image-builders';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiHarness, postImages, startApiHarness } from '../support/api-harness.ts';
import { rawUpload } from '../support/raw-upload.ts';

let api: ApiHarness;
beforeAll(async () => {
  api = await startApiHarness({
    env: { MAX_CONCURRENT_UPLOADS: '1', RATE_LIMIT_PER_MINUTE: '4', API_KEYS: 'alpha,beta' },
  });
});
afterAll(async () => {
  await api?.close();
});

const as = (key: string) => ({ authorization: `Bearer ${key}` });
const file = [{ name: 'g.gif', bytes: gifBytes() }];

describe('API keys', () => {
  it('answers 401 for a missing or wrong key and stores nothing', async () => {
    const objectsBefore = await api.countOriginals();
    const missing = await postImages(api.url, file);
    const wrong = await postImages(api.url, file, { headers: as('gamma') });
    expect(missing.status).toBe(401);
    expect(wrong.status).toBe(401);
    expect((wrong.body as { error: { code: string } }).error.code).toBe('UNAUTHORIZED');
    expect(await api.countOriginals()).toBe(objectsBefore);
  });

  it('leaves health probes and docs open', async () => {
    expect((await fetch(`${api.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${api.url}/openapi.json`)).status).toBe(200);
  });
});

describe('overload protection', () => {
  it('answers 503 OVERLOADED with Retry-After when the upload slots are taken', async () => {
    // Prepare: one slow upload holds the only slot.
    const slow = rawUpload(api.url, { fileBytes: 2 * 1024 * 1024, chunkDelayMs: 30, headers: as('alpha') });
    await new Promise((resolve) => setTimeout(resolve, 300));

    // Act
    const refused = await postImages(api.url, file, { headers: as('alpha') });

    // Assess
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('2');
    expect((refused.body as { error: { code: string } }).error.code).toBe('OVERLOADED');
    expect((await slow.reply).status).toBe(202);
  });
});

describe('rate limiting', () => {
  it('answers 429 RATE_LIMITED with Retry-After past the per-minute limit, counted per API key', async () => {
    const statuses: number[] = [];
    for (let n = 0; n < 4; n += 1)
      statuses.push((await postImages(api.url, file, { headers: as('beta') })).status);
    const limited = await postImages(api.url, file, { headers: as('beta') });
    const otherKey = await postImages(api.url, file, { headers: as('alpha') });
    expect(statuses.every((status) => status === 202)).toBe(true);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((limited.body as { error: { code: string } }).error.code).toBe('RATE_LIMITED');
    expect(otherKey.status).toBe(202);
  });
});

describe('rate limiting of an open API behind a load balancer', () => {
  it('counts per client address the load balancer saw (TRUST_PROXY = its address), whatever the client wrote before it', async () => {
    // The test's requests come from loopback: here loopback plays the load balancer.
    const open = await startApiHarness({
      stack: api.stack,
      env: { RATE_LIMIT_PER_MINUTE: '2', TRUST_PROXY: '127.0.0.1/8,::1' },
    });
    try {
      // The balancer appends the address it saw; anything before it is the client's own words.
      const from = (address: string, claimed: string) => ({ 'x-forwarded-for': `${claimed}, ${address}` });
      const first = [
        await postImages(open.url, file, { headers: from('203.0.113.7', '10.0.0.1') }),
        await postImages(open.url, file, { headers: from('203.0.113.7', '10.0.0.2') }),
      ];
      const third = await postImages(open.url, file, { headers: from('203.0.113.7', '10.0.0.3') });
      const otherClient = await postImages(open.url, file, { headers: from('198.51.100.9', '10.0.0.3') });
      expect(first.map((reply) => reply.status)).toEqual([202, 202]);
      expect(third.status).toBe(429);
      expect(otherClient.status).toBe(202);
    } finally {
      await open.close();
    }
  });
});

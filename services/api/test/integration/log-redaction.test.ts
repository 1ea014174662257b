import { gifBytes } from '@photo-pipeline/test-support/image-builders';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiHarness, postImages, startApiHarness } from '../support/api-harness.ts';

const key = 'secret-key-alpha-1234567890';
const wrongKey = 'secret-wrong-key-0987654321';

let api: ApiHarness;
const logLines: Record<string, unknown>[] = [];
beforeAll(async () => {
  api = await startApiHarness({ logLines, env: { LOG_LEVEL: 'trace', API_KEYS: key } });
});
afterAll(async () => {
  await api?.close();
});

describe('credentials in logs', () => {
  it('writes no API key, right or wrong, in any log line at trace level', async () => {
    // Prepare
    const file = [{ name: 'g.gif', bytes: gifBytes() }];
    const bearer = (value: string) => ({ authorization: `Bearer ${value}` });

    // Act: every kind of request a key travels with.
    const accepted = await postImages(api.url, file, { headers: bearer(key) });
    const refused = await postImages(api.url, file, { headers: bearer(wrongKey) });
    const status = await fetch(`${api.url}/v1/images?ids=01JD0000000000000000000000`, {
      headers: bearer(key),
    });
    const missing = await fetch(`${api.url}/nowhere`, { headers: bearer(key) });
    const malformed = await fetch(`${api.url}/v1/images`, {
      method: 'POST',
      headers: { ...bearer(key), 'content-type': 'multipart/form-data; boundary=x' },
      body: '--x\r\nbroken',
    });
    const otherHeaders = await fetch(`${api.url}/healthz`, {
      headers: { 'proxy-authorization': `Basic ${key}`, cookie: `session=${key}`, 'x-api-key': key },
    });

    // Assess
    expect([accepted.status, refused.status, status.status, missing.status, otherHeaders.status]).toEqual([
      202, 401, 200, 404, 200,
    ]);
    expect(malformed.status).toBeGreaterThanOrEqual(400);
    // The multipart parser's trace line, which carried the headers, is still written, redacted.
    const busboyLine = logLines.find((line) => line.msg === 'Providing options to busboy');
    expect(busboyLine).toMatchObject({ busboyOptions: { headers: { authorization: '[redacted]' } } });
    const text = logLines.map((line) => JSON.stringify(line)).join('\n');
    expect(logLines.length).toBeGreaterThan(5);
    expect(text).not.toContain(key);
    expect(text).not.toContain(wrongKey);
  });
});

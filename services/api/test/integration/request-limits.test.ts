import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiHarness, startApiHarness } from '../support/api-harness.ts';
import { writeThenRead } from '../support/raw-http.ts';

const key = 'right-key';
const statusKey = 'status-key';
let api: ApiHarness;
beforeAll(async () => {
  api = await startApiHarness({
    env: {
      API_KEYS: `${key},${statusKey}`,
      AUTH_FAILURES_PER_MINUTE: '3',
      STATUS_RATE_LIMIT_PER_MINUTE: '4',
    },
  });
});
afterAll(async () => {
  await api?.close();
});

const imageId = '01JD0000000000000000000000';

/** A status request with `bearer` as the key, from `localAddress` (every 127.x address is this machine). */
async function getStatus(bearer: string, localAddress: string) {
  const reply = await writeThenRead(
    api.url,
    [`GET /v1/images?ids=${imageId} HTTP/1.1\r\nHost: api\r\nAuthorization: Bearer ${bearer}\r\n\r\n`],
    { localAddress },
  );
  return { status: reply.status, code: (JSON.parse(reply.body) as { error?: { code: string } }).error?.code };
}

describe('failed authentication is counted', () => {
  it('past AUTH_FAILURES_PER_MINUTE wrong keys from an address, answers 429 to that address even with the right key; other addresses go on', async () => {
    // Act
    const wrong = [];
    for (let n = 0; n < 3; n += 1) wrong.push(await getStatus(`guess-${n}`, '127.0.0.3'));
    const fourthGuess = await getStatus('guess-4', '127.0.0.3');
    const rightKeyThere = await getStatus(key, '127.0.0.3');
    const rightKeyElsewhere = await getStatus(key, '127.0.0.4');

    // Assess
    expect(wrong.map((reply) => reply.status)).toEqual([401, 401, 401]);
    expect(fourthGuess).toEqual({ status: 429, code: 'RATE_LIMITED' });
    expect(rightKeyThere).toEqual({ status: 429, code: 'RATE_LIMITED' });
    expect(rightKeyElsewhere.status).toBe(200);
  });
});

describe('status requests are counted', () => {
  it('answers 429 RATE_LIMITED past STATUS_RATE_LIMIT_PER_MINUTE requests with one key', async () => {
    // Act
    const statuses = [];
    for (let n = 0; n < 4; n += 1) statuses.push((await getStatus(statusKey, '127.0.0.5')).status);
    const fifth = await getStatus(statusKey, '127.0.0.6');

    // Assess
    expect(statuses).toEqual([200, 200, 200, 200]);
    expect(fifth).toEqual({ status: 429, code: 'RATE_LIMITED' });
  });
});

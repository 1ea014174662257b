import { jpegBytes } from '@photo-pipeline/test-support/image-builders';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiHarness, postImages, startApiHarness } from '../support/api-harness.ts';

const lines: Record<string, unknown>[] = [];
let api: ApiHarness;
beforeAll(async () => {
  api = await startApiHarness({ logLines: lines });
});
afterAll(async () => {
  await api?.close();
});

const linesOf = (requestId: string) => lines.filter((line) => line.requestId === requestId);

/** The line is written when the response has finished, which may be just after the client has it. */
async function settledLinesOf(requestId: string): Promise<Record<string, unknown>[]> {
  for (let waited = 0; linesOf(requestId).length === 0 && waited < 1_000; waited += 20) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  await new Promise((resolve) => setTimeout(resolve, 50));
  return linesOf(requestId);
}

describe('the request log', () => {
  it('writes one line for an accepted upload, with its status, time and image ids', async () => {
    const reply = await postImages(api.url, [{ name: 'a.jpg', bytes: jpegBytes({ bytes: 10_000 }) }], {
      headers: { 'x-request-id': 'log-accepted-1' },
    });
    expect(reply.status).toBe(202);
    const imageId = (reply.body as { images: { imageId: string }[] }).images[0]?.imageId;

    const written = await settledLinesOf('log-accepted-1');
    expect(written).toHaveLength(1);
    expect(written[0]).toMatchObject({
      level: 'info',
      msg: 'request completed',
      method: 'POST',
      url: '/v1/images',
      statusCode: 202,
      imageIds: [imageId],
    });
    expect(written[0]?.responseTimeMs).toEqual(expect.any(Number));
  });

  it('writes one line for a refused upload, with the error code and reason', async () => {
    const reply = await postImages(api.url, [{ name: 'a.txt', bytes: Buffer.from('not an image at all') }], {
      headers: { 'x-request-id': 'log-refused-1' },
    });
    expect(reply.status).toBe(415);

    const written = await settledLinesOf('log-refused-1');
    expect(written).toHaveLength(1);
    expect(written[0]).toMatchObject({
      msg: 'request completed',
      statusCode: 415,
      code: 'UNSUPPORTED_MEDIA_TYPE',
      reason: expect.stringContaining('not a supported image'),
    });
  });

  it('writes nothing for health probes', async () => {
    const before = lines.length;
    const reply = await fetch(`${api.url}/healthz`, { headers: { 'x-request-id': 'log-probe-1' } });
    expect(reply.status).toBe(200);
    expect(await settledLinesOf('log-probe-1')).toEqual([]);
    expect(lines.length).toBe(before);
  });
});

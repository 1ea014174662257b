import { newImageId } from '@photo-pipeline/shared/contracts';
// The shared package's test row builder (as the landing page's browser test uses it).
import { putRowsInto, rowFor } from '@photo-pipeline/test-support/result-rows';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiHarness, startApiHarness } from '../support/api-harness.ts';

describe('the landing page at / shows batches only where the API is open', () => {
  let open: ApiHarness;
  let keyed: ApiHarness;

  beforeAll(async () => {
    open = await startApiHarness();
    keyed = await startApiHarness({ stack: open.stack, env: { API_KEYS: 'a-long-enough-test-key-1234' } });
    const now = new Date();
    await putRowsInto(open.deps.aws, open.deps.config.RESULTS_TABLE, [
      rowFor(newImageId(now.getTime()), 'private-holiday', now, 'SUCCEEDED'),
    ]);
  });

  afterAll(async () => {
    await keyed?.close();
    await open?.close();
  });

  it('lists the batch on an open API (the local default)', async () => {
    const page = await (await fetch(`${open.url}/`)).text();

    expect(page).toContain('<code>private-holiday</code>');
  });

  it('withholds batch ids and the report on an API that requires keys, since the page itself is public', async () => {
    const reply = await fetch(`${keyed.url}/`);
    const page = await reply.text();

    expect(reply.status).toBe(200);
    expect(page).not.toContain('private-holiday');
    expect(page).toContain('<p id="batches">Not shown: this API requires an API key');
    expect(page).toContain('<p id="report">Not shown: this API requires an API key');
    expect(page).toContain('href="/docs"');
  });
});

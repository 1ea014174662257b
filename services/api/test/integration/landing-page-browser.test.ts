import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { newImageId } from '@photo-pipeline/shared/contracts';
// The shared package's test row builder (as the client's tests use the API's support files).
import { putRowsInto, rowFor } from '@photo-pipeline/test-support/result-rows';
import { imageSize } from 'image-size';
import { type BrowserContext, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiHarness, startApiHarness } from '../support/api-harness.ts';

/** Debian's chromium, installed by services/results/scripts/install-chromium.sh (npm test). */
const chromiumPath = '/usr/bin/chromium';
const runBrowserTest = existsSync(chromiumPath) || process.env.CI === 'true';

describe.runIf(runBrowserTest)('the landing page at / in headless Chromium', () => {
  let api: ApiHarness;
  let folder: string;
  let context: BrowserContext;

  beforeAll(async () => {
    folder = await mkdtemp(path.join(tmpdir(), 'api-landing-'));
    api = await startApiHarness();
    context = await chromium.launchPersistentContext(path.join(folder, 'chromium-profile'), {
      executablePath: chromiumPath,
      headless: true,
      viewport: { width: 1000, height: 800 },
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--no-first-run',
        '--disable-background-networking',
      ],
    });
  });

  afterAll(async () => {
    await context?.close();
    await api?.close();
    await rm(folder, { recursive: true, force: true });
  });

  it('shows its links, says so when there are no batches or reports yet, and runs no script', async () => {
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (message) => problems.push(message.text()));
    page.on('pageerror', (error) => problems.push(error.message));

    const reply = await page.goto(`${api.url}/`, { waitUntil: 'load' });

    expect(reply?.status()).toBe(200);
    expect(reply?.headers()['content-security-policy']).toContain("script-src 'self'");
    expect(await page.title()).toBe('photo-pipeline upload API');
    expect(await page.locator('#batches').textContent()).toContain('No results');
    expect(await page.locator('#report').textContent()).toContain('No report yet');
    expect(await page.locator('script').count()).toBe(0);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('lists the latest batches with their counts and the latest report, in a screenshot with every key element', async () => {
    // Prepare: batch "older" (2 succeeded) an hour ago, batch "newer" (1 succeeded, 1 failed) a minute ago,
    // and one report in the processed bucket.
    const at = (minutesAgo: number, offsetMs = 0) => new Date(Date.now() - minutesAgo * 60_000 + offsetMs);
    const row = (batchId: string, when: Date, status: 'SUCCEEDED' | 'FAILED') =>
      rowFor(newImageId(when.getTime()), batchId, when, status);
    await putRowsInto(api.deps.aws, api.deps.config.RESULTS_TABLE, [
      row('older', at(60), 'SUCCEEDED'),
      row('older', at(59), 'SUCCEEDED'),
      row('newer', at(1), 'SUCCEEDED'),
      row('newer', at(1, 10), 'FAILED'),
    ]);
    const reportKey = 'reports/batch-newer/20260101T000000Z/report.html';
    await api.deps.aws.s3.send(
      new PutObjectCommand({
        Bucket: api.deps.config.PROCESSED_BUCKET,
        Key: reportKey,
        Body: '<html></html>',
      }),
    );
    const page = await context.newPage();

    // Act
    await page.goto(`${api.url}/`, { waitUntil: 'load' });
    const rows = await page.$$eval('#batches tbody tr', (trs) =>
      trs.map((tr) => [...tr.querySelectorAll('td')].slice(0, 3).map((td) => td.textContent)),
    );
    const links = await page.$$eval('nav a', (anchors) =>
      anchors.map((anchor) => anchor.getAttribute('href')),
    );
    const screenshot = await page.screenshot({ path: path.join(folder, 'landing.png'), fullPage: true });
    const boxes = await Promise.all(
      ['h1', 'nav', '#batches', '#report'].map(async (selector) => ({
        selector,
        box: await page.locator(selector).boundingBox(),
      })),
    );
    const docs = await context.request.get(`${api.url}/docs`);
    await page.close();

    // Assess
    expect(rows).toEqual([
      ['newer', '1', '1'],
      ['older', '2', '0'],
    ]);
    expect(links).toEqual(['/docs', '/healthz', '/readyz']);
    expect(docs.status()).toBe(200);
    const size = imageSize(screenshot);
    expect(size.width).toBe(1000);
    for (const { selector, box } of boxes) {
      expect(box, selector).not.toBeNull();
      expect(box?.width, selector).toBeGreaterThan(0);
      expect(box?.height, selector).toBeGreaterThan(0);
      expect((box?.y ?? 0) + (box?.height ?? 0), `${selector} inside the screenshot`).toBeLessThanOrEqual(
        size.height,
      );
    }
    expect(await pageText(api.url)).toContain(`s3://${api.deps.config.PROCESSED_BUCKET}/${reportKey}`);
  });
});

async function pageText(url: string): Promise<string> {
  const reply = await fetch(`${url}/`);
  return reply.text();
}

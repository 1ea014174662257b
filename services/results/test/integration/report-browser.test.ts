import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { type BrowserContext, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildReport } from '../../src/report/build-report.ts';
import { writeReport } from '../../src/report/write-report.ts';
import { type ResultsFixture, startResultsFixture } from '../support/results-fixture.ts';

/** Debian's chromium, installed by scripts/install-chromium.sh; never a downloaded browser build. */
const chromiumPath = '/usr/bin/chromium';
// Without chromium a developer's run skips this file; in CI (where .ci/run installs it) it must run.
const runBrowserTest = existsSync(chromiumPath) || process.env.CI === 'true';

describe.runIf(runBrowserTest)('HTML report in headless Chromium', () => {
  let fixture: ResultsFixture;
  let folder: string;
  let context: BrowserContext;
  let htmlPath: string;

  beforeAll(async () => {
    folder = await mkdtemp(path.join(tmpdir(), 'results-browser-'));
    fixture = await startResultsFixture();
    // Three bins of the area chart get bars: <0.1 MP (2), 0.1-0.5 MP (1), 0.5-1 MP (1, row only).
    await fixture.seedImage({ batchId: 'browser', status: 'SUCCEEDED', width: 64, height: 48 });
    await fixture.seedImage({ batchId: 'browser', status: 'SUCCEEDED', width: 48, height: 64 });
    await fixture.seedImage({ batchId: 'browser', status: 'SUCCEEDED', width: 400, height: 300 });
    await fixture.seedImage({
      batchId: 'browser',
      status: 'SUCCEEDED',
      width: 1000,
      height: 700,
      withoutObjects: true,
    });
    await fixture.seedImage({
      batchId: 'browser',
      status: 'FAILED',
      errorCode: 'IMAGE_TOO_MANY_PIXELS',
      decodableOriginal: true,
    });
    const report = await buildReport(fixture.deps, { kind: 'batch', batchId: 'browser' });
    const written = await writeReport(fixture.deps, report, { outputDir: folder });
    if (!written.localHtmlPath) throw new Error('writeReport made no local HTML file');
    htmlPath = written.localHtmlPath;

    context = await chromium.launchPersistentContext(path.join(folder, 'chromium-profile'), {
      executablePath: chromiumPath,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  });

  afterAll(async () => {
    await context?.close();
    await fixture?.stop();
    await rm(folder, { recursive: true, force: true });
  });

  it('decodes every thumbnail, draws the chart, and fetches nothing from the network', async () => {
    const requests: string[] = [];
    const problems: string[] = [];
    const page = await context.newPage();
    page.on('request', (request) => requests.push(request.url()));
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));

    await page.goto(pathToFileURL(htmlPath).href, { waitUntil: 'load' });
    const thumbnails = await page.$$eval('img.thumb', (images) =>
      images.map((image) => ({
        kind: image.classList.contains('before') ? 'before' : 'after',
        complete: image.complete,
        naturalWidth: image.naturalWidth,
        naturalHeight: image.naturalHeight,
      })),
    );
    const bars = await page.$$eval('svg.chart rect.bar', (rects) =>
      rects.map((rect) => {
        const box = rect.getBoundingClientRect();
        return {
          bin: rect.getAttribute('data-bin'),
          count: Number(rect.getAttribute('data-count')),
          width: box.width,
          height: box.height,
        };
      }),
    );
    await page.close();

    // 3 succeeded images with objects (before + after) and the failed one's original.
    expect(thumbnails).toHaveLength(7);
    expect(thumbnails.filter((thumbnail) => thumbnail.kind === 'before')).toHaveLength(4);
    for (const thumbnail of thumbnails) {
      expect(thumbnail.complete).toBe(true);
      expect(thumbnail.naturalWidth).toBeGreaterThan(0);
      expect(thumbnail.naturalHeight).toBeGreaterThan(0);
    }
    expect(bars.map((bar) => [bar.bin, bar.count]).filter(([, count]) => count !== 0)).toEqual([
      ['<0.1 MP', 2],
      ['0.1–0.5 MP', 1],
      ['0.5–1 MP', 1],
    ]);
    for (const bar of bars.filter((candidate) => candidate.count > 0)) {
      expect(bar.width).toBeGreaterThan(0);
      expect(bar.height).toBeGreaterThan(0);
    }
    const tallest = Math.max(...bars.map((bar) => bar.height));
    expect(bars.find((bar) => bar.count === 2)?.height).toBe(tallest);
    expect(requests.filter((url) => !url.startsWith('file:') && !url.startsWith('data:'))).toEqual([]);
    expect(problems).toEqual([]);
  });

  it("fits a mask model's three thumbnails (before, after, mask) inside the image's card", async () => {
    // Prepare: a landscape photo, so each of the three thumbnails is at its widest.
    await fixture.seedImage({
      batchId: 'browser-mask',
      status: 'SUCCEEDED',
      width: 400,
      height: 300,
      withMask: true,
    });
    const report = await buildReport(fixture.deps, { kind: 'batch', batchId: 'browser-mask' });
    const written = await writeReport(fixture.deps, report, { outputDir: path.join(folder, 'mask') });
    if (!written.localHtmlPath) throw new Error('writeReport made no local HTML file');
    const page = await context.newPage();
    // Act
    await page.goto(pathToFileURL(written.localHtmlPath).href, { waitUntil: 'load' });
    const layout = await page.$eval('figure.image', (figure) => {
      const card = figure.getBoundingClientRect();
      return {
        card: { left: card.left, right: card.right },
        thumbnails: [...figure.querySelectorAll('img.thumb')].map((image) => {
          const box = image.getBoundingClientRect();
          return {
            kind: [...image.classList].find((name) => name !== 'thumb'),
            left: box.left,
            right: box.right,
            width: box.width,
            height: box.height,
          };
        }),
      };
    });
    const decoded = await page.$$eval('figure.image img.thumb', (images) =>
      images.map((image) => image.complete && image.naturalWidth > 0),
    );
    await page.close();
    // Assess
    expect(layout.thumbnails.map((thumbnail, index) => [thumbnail.kind, decoded[index]])).toEqual([
      ['before', true],
      ['after', true],
      ['mask', true],
    ]);
    for (const thumbnail of layout.thumbnails) {
      expect(thumbnail.width).toBeGreaterThan(40);
      expect(thumbnail.width / thumbnail.height).toBeCloseTo(400 / 300, 1);
      expect(thumbnail.left).toBeGreaterThanOrEqual(layout.card.left);
      expect(thumbnail.right).toBeLessThanOrEqual(layout.card.right);
    }
  });
});

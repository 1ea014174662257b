import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BrowserContext } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeReport } from '../../src/adapters/write-report.ts';
import { buildReport } from '../../src/core/report/build-report.ts';
import { launchChromium, runBrowserTest, shareOfColour } from '../support/headless-chromium.ts';
import { type ResultsFixture, startResultsFixture } from '../support/results-fixture.ts';

describe.runIf(runBrowserTest)('HTML report in headless Chromium', () => {
  let fixture: ResultsFixture;
  let folder: string;
  let context: BrowserContext;
  let htmlPath: string;
  let rangeHtmlPath: string;

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
    await fixture.seedImage({ batchId: 'browser-second', status: 'SUCCEEDED', width: 1200, height: 900 });
    const report = await buildReport(fixture.deps, { kind: 'batch', batchId: 'browser' });
    const written = await writeReport(fixture.deps, report, { outputDir: folder });
    if (!written.localHtmlPath) throw new Error('writeReport made no local HTML file');
    htmlPath = written.localHtmlPath;
    const range = {
      kind: 'range',
      since: new Date(Date.now() - 3_600_000),
      until: new Date(Date.now() + 60_000),
    } as const;
    const rangeWritten = await writeReport(fixture.deps, await buildReport(fixture.deps, range), {
      outputDir: folder,
    });
    if (!rangeWritten.localHtmlPath) throw new Error('writeReport made no local HTML file');
    rangeHtmlPath = rangeWritten.localHtmlPath;

    context = await launchChromium(path.join(folder, 'chromium-profile'));
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
    const bars = await page.$$eval('svg.chart.area rect.bar', (rects) =>
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

  it("shows a mask model's three thumbnails (before, after, mask) side by side inside the image's row", async () => {
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
    const layout = await page.$eval('table.images tbody tr', (row) => {
      const card = row.getBoundingClientRect();
      return {
        card: { left: card.left, right: card.right, top: card.top, bottom: card.bottom },
        thumbnails: [...row.querySelectorAll('img.thumb')].map((image) => {
          const box = image.getBoundingClientRect();
          return {
            kind: [...image.classList].find((name) => name !== 'thumb'),
            left: box.left,
            right: box.right,
            top: box.top,
            bottom: box.bottom,
            width: box.width,
            height: box.height,
          };
        }),
      };
    });
    const decoded = await page.$$eval('table.images tbody tr img.thumb', (images) =>
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
      expect(thumbnail.top).toBeGreaterThanOrEqual(layout.card.top);
      expect(thumbnail.bottom).toBeLessThanOrEqual(layout.card.bottom);
    }
    const [before, after, mask] = layout.thumbnails;
    expect(after?.left).toBeGreaterThanOrEqual(before?.right ?? Number.POSITIVE_INFINITY);
    expect(mask?.left).toBeGreaterThanOrEqual(after?.right ?? Number.POSITIVE_INFINITY);
  });

  it('shows the key elements of a time-range report: foreground and area charts, the timeline beside the area chart, batches, every image', async () => {
    const page = await context.newPage();
    await page.setViewportSize({ width: 1280, height: 900 });
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') problems.push(message.text());
    });

    await page.goto(pathToFileURL(rangeHtmlPath).href, { waitUntil: 'load' });
    const screenshot = await page.screenshot({ fullPage: true, path: path.join(folder, 'range-report.png') });
    const shots = {
      foreground: await page.locator('svg.chart.foreground').screenshot(),
      area: await page.locator('svg.chart.area').screenshot(),
      throughput: await page.locator('svg.chart.throughput').screenshot(),
    };
    const boxes = await page.$$eval('.charts figure', (figures) =>
      figures.map((figure) => {
        const box = figure.getBoundingClientRect();
        return { top: Math.round(box.top), left: Math.round(box.left), text: figure.textContent ?? '' };
      }),
    );
    const title = await page.title();
    const heading = await page.locator('h1').textContent();
    const definition = await page.locator('p.definition').textContent();
    const batchRows = await page.$$eval('table.batches tbody tr', (rows) =>
      rows.map((row) => [...row.querySelectorAll('td')].map((cell) => cell.textContent?.trim())),
    );
    const imageRows = await page.locator('table.images tbody tr').count();
    await page.close();

    expect((await sharp(screenshot).metadata()).width).toBe(1280);
    // Each chart is drawn: its bars' colour covers part of its screenshot.
    expect(await shareOfColour(shots.foreground, [0x82, 0x50, 0xdf])).toBeGreaterThan(0.005);
    expect(await shareOfColour(shots.area, [0x09, 0x69, 0xda])).toBeGreaterThan(0.005);
    expect(await shareOfColour(shots.throughput, [0x1a, 0x7f, 0x37])).toBeGreaterThan(0.005);
    const area = boxes.find((box) => box.text.startsWith('Area distribution'));
    const throughput = boxes.find((box) => box.text.startsWith('Throughput'));
    expect(throughput?.top).toBe(area?.top);
    expect(throughput?.left).toBeGreaterThan(area?.left ?? Number.POSITIVE_INFINITY);
    expect(heading).toMatch(/^Uploads \d{4}-\d\d-\d\d \d\d:\d\d – \d{4}-\d\d-\d\d \d\d:\d\d UTC$/);
    expect(title).toBe(`${heading} · photo-pipeline report`);
    expect(definition).toContain('Foreground ratio: the share of an image’s pixels');
    expect(batchRows.map((cells) => cells.slice(0, 4))).toEqual([
      ['browser', '5', '4', '1'],
      ['browser-second', '1', '1', '0'],
    ]);
    expect(imageRows).toBe(6);
    expect(problems).toEqual([]);
  });

  it('sorts the image table by a column without a script, and opens the full-size image from the local copy', async () => {
    const page = await context.newPage();
    await page.goto(pathToFileURL(htmlPath).href, { waitUntil: 'load' });
    const visualOrder = () =>
      page.$$eval('table.images tbody tr', (rows) =>
        rows
          .map((row) => ({
            id: row.getAttribute('data-image-id'),
            top: row.getBoundingClientRect().top,
            name: row.querySelector('.name')?.textContent,
          }))
          .sort((a, b) => a.top - b.top)
          .map((row) => row.id),
      );
    const areaOf = async () =>
      page.$$eval('table.images tbody tr', (rows) =>
        Object.fromEntries(
          rows.map((row) => [
            row.getAttribute('data-image-id'),
            row.querySelector('.sub')?.textContent ?? '',
          ]),
        ),
      );

    const uploadOrder = await visualOrder();
    await page.click('label[for="sort-area-desc"]');
    const byAreaDescending = await visualOrder();
    const areas = await areaOf();
    await page.click('label[for="sort-order-asc"]');
    const backToUploadOrder = await visualOrder();
    const href = await page.locator('a.full-size').first().getAttribute('href');
    await page.click('a.full-size >> nth=0');
    await page.waitForLoadState('load');
    const fullSize = await page.$eval('img', (image) => ({ url: image.src, width: image.naturalWidth }));
    await page.close();

    expect(uploadOrder).toHaveLength(5);
    const pixels = (id: string | null) => Number((areas[id ?? ''] ?? '').replaceAll(',', '')) || -1;
    expect(byAreaDescending.map(pixels)).toEqual([700_000, 120_000, 3_072, 3_072, -1]);
    expect(byAreaDescending).not.toEqual(uploadOrder);
    expect(backToUploadOrder).toEqual(uploadOrder);
    expect(href).toMatch(/^images\/[0-9A-Z]{26}_photo-\d+\.png$/);
    expect(fullSize.url).toContain(`/images/`);
    expect(fullSize.width).toBe(64);
  });
});

import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeReport } from '../../src/adapters/write-report.ts';
import { buildReport } from '../../src/core/report/build-report.ts';
import { type ResultsFixture, startResultsFixture } from '../support/results-fixture.ts';

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

describe('buildReport and writeReport (library, against the embedded local stack)', () => {
  let fixture: ResultsFixture;
  let folder: string;
  const t0 = Date.parse('2026-07-01T08:00:00.000Z');

  beforeAll(async () => {
    folder = await mkdtemp(path.join(tmpdir(), 'results-report-'));
    // Pages of 3 rows: every report below reads the index across several pages.
    fixture = await startResultsFixture({ INIT_CWD: folder, RESULTS_PAGE_SIZE: '3' });
    const at = (minute: number) => new Date(t0 + minute * 60_000);
    const seed = [
      { status: 'SUCCEEDED', width: 40, height: 30, totalMs: 100 },
      { status: 'SUCCEEDED', width: 30, height: 40, totalMs: 200 },
      { status: 'SUCCEEDED', width: 800, height: 600, totalMs: 300, withoutObjects: true },
      { status: 'SUCCEEDED', width: 4000, height: 3000, totalMs: 400, withoutObjects: true },
      { status: 'FAILED', errorCode: 'IMAGE_CORRUPT', totalMs: 5 },
      { status: 'FAILED', errorCode: 'IMAGE_CORRUPT', totalMs: 6 },
      { status: 'FAILED', errorCode: 'IMAGE_TOO_MANY_PIXELS', totalMs: 7 },
    ] as const;
    for (const [minute, spec] of seed.entries()) {
      await fixture.seedImage({ ...spec, batchId: 'report-batch', uploadedAt: at(minute) });
    }
  });

  afterAll(async () => {
    await fixture?.stop();
    await rm(folder, { recursive: true, force: true });
  });

  it('summarises counts, failure codes, the area histogram and processing-time percentiles', async () => {
    const report = await buildReport(fixture.deps, { kind: 'batch', batchId: 'report-batch' });
    const { summary } = report;

    expect(report.rows.map((row) => row.uploadedAt)).toEqual(
      Array.from({ length: 7 }, (_, minute) => new Date(t0 + minute * 60_000).toISOString()),
    );
    expect(summary.counts).toEqual({ total: 7, SUCCEEDED: 4, FAILED: 3 });
    expect(summary.failureCodes.map(({ code, count }) => [code, count])).toEqual([
      ['IMAGE_CORRUPT', 2],
      ['IMAGE_TOO_MANY_PIXELS', 1],
    ]);
    expect(summary.failureCodes[0]?.summary).toContain('cannot be decoded');
    const bins = Object.fromEntries(summary.area.histogram.map((bin) => [bin.label, bin.count]));
    expect(bins).toMatchObject({ '<0.1 MP': 2, '0.1–0.5 MP': 1, '8–16 MP': 1, '0.5–1 MP': 0 });
    expect(summary.area.px).toMatchObject({ count: 4, min: 1200, max: 12_000_000 });
    // Nearest rank over [5, 6, 7, 100, 200, 300, 400]: p50 is the 4th value, p90 and p99 the 7th.
    expect(summary.processingMs).toMatchObject({ count: 7, min: 5, p50: 100, p90: 400, p99: 400, max: 400 });
    expect(summary.stagesMs.decodeMs.count).toBe(7);
    expect(summary.executionProviders).toEqual({ cpu: 4 });
  });

  it('writes summary.json, summary.csv, images.csv and report.html to S3 and to a local folder', async () => {
    const report = await buildReport(
      fixture.deps,
      { kind: 'range', since: new Date(t0), until: new Date(t0 + 3 * 60_000) },
      { now: new Date('2026-07-02T00:00:00.000Z') },
    );

    const written = await writeReport(fixture.deps, report);

    const bucket = fixture.config.PROCESSED_BUCKET;
    const prefix = 'reports/range-20260701T080000Z-20260701T080300Z/20260702T000000Z/';
    const listed = await fixture.deps.clients.s3.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }),
    );
    expect((listed.Contents ?? []).map((object) => object.Key).sort()).toEqual(
      ['images.csv', 'report.html', 'summary.csv', 'summary.json'].map((name) => `${prefix}${name}`),
    );
    const read = async (name: string) => {
      const object = await fixture.deps.clients.s3.send(
        new GetObjectCommand({ Bucket: bucket, Key: `${prefix}${name}` }),
      );
      return { body: (await object.Body?.transformToString()) ?? '', type: object.ContentType };
    };
    const json = await read('summary.json');
    expect(JSON.parse(json.body)).toMatchObject({
      scope: { kind: 'range', since: '2026-07-01T08:00:00.000Z', until: '2026-07-01T08:03:00.000Z' },
      counts: { total: 3, SUCCEEDED: 3, FAILED: 0 },
    });
    expect(json.type).toContain('application/json');
    const csv = await read('summary.csv');
    expect(csv.body.split('\r\n')).toEqual(
      expect.arrayContaining(['counts,SUCCEEDED,3', 'processingMs,p50,200']),
    );
    const images = await read('images.csv');
    expect(images.body.trim().split('\r\n')).toHaveLength(4);
    const html = await read('report.html');
    expect(html.type).toContain('text/html');
    // Two images with objects: before and after thumbnails each, embedded; nothing loaded from the network.
    expect(html.body.match(/src="data:image\/jpeg;base64,/g)).toHaveLength(4);
    expect(html.body).not.toMatch(/src="https?:/);
    // The S3 copy links each processed image by a presigned URL, which downloads its bytes.
    const s3Links = [...html.body.matchAll(/<a class="full-size" href="([^"]+)"/g)].map((match) =>
      (match[1] ?? '').replaceAll('&amp;', '&'),
    );
    expect(s3Links).toHaveLength(3);
    const [firstRow] = report.rows;
    if (firstRow?.status !== 'SUCCEEDED') throw new Error('expected a SUCCEEDED first row');
    const firstLink = s3Links[0] ?? '';
    expect(firstLink).toContain(`/${firstRow.output.key}?`);
    expect(firstLink).toContain('X-Amz-Signature=');
    expect(firstLink).toContain('X-Amz-Expires=604800');
    const signed = await fetch(firstLink);
    expect(signed.status).toBe(200);
    expect(sha256(Buffer.from(await signed.arrayBuffer()))).toBe(firstRow.output.sha256);

    expect(written.localHtmlPath).toBe(
      path.join(folder, 'reports', prefix.replace('reports/', ''), 'report.html'),
    );
    const localHtml = await readFile(written.localHtmlPath ?? '', 'utf8');
    expect((await readdir(written.localDir ?? '')).sort()).toEqual([
      'images',
      'images.csv',
      'report.html',
      'summary.csv',
      'summary.json',
    ]);
    // The local copy downloads the processed images beside it and links them by relative path; the
    // image whose object is gone gets no link.
    const localLinks = [...localHtml.matchAll(/<a class="full-size" href="([^"]+)"/g)].map(
      (match) => match[1] ?? '',
    );
    expect(localLinks).toEqual([
      expect.stringMatching(new RegExp(`^images/${firstRow.imageId}_photo-\\d+\\.png$`)),
      expect.stringMatching(/^images\/[0-9A-Z]{26}_photo-\d+\.png$/),
    ]);
    expect(written.localImages).toEqual({ fetched: 2, failed: 1 });
    const localImage = await readFile(path.join(written.localDir ?? '', localLinks[0] ?? ''));
    expect(sha256(localImage)).toBe(firstRow.output.sha256);
    const withoutLinks = (page: string) =>
      page.replaceAll(/<div><a class="full-size" href="[^"]+">full size<\/a><\/div>/g, '');
    expect(withoutLinks(localHtml)).toBe(withoutLinks(html.body));
    expect(written.s3['report.html']).toBe(`s3://${bucket}/${prefix}report.html`);
  });

  it('lists every image in the table but pictures at most maxThumbnails of them, and says so', async () => {
    const report = await buildReport(
      fixture.deps,
      { kind: 'batch', batchId: 'report-batch' },
      { maxThumbnails: 1 },
    );
    const html = report.files['report.html'];

    expect(html.match(/<tr role="row" class="(succeeded|failed)"/g)).toHaveLength(7);
    expect(html.match(/<img class="thumb before"/g)).toHaveLength(1);
    expect(html).toContain('thumbnails for 1 of 7 image(s)');
  });

  it('summarises the foreground ratio in ten bins, the throughput per minute and, for a time range, each batch', async () => {
    await fixture.seedImage({
      batchId: 'second-batch',
      status: 'SUCCEEDED',
      uploadedAt: new Date(t0 + 10 * 60_000),
      withoutObjects: true,
    });
    const range = { kind: 'range', since: new Date(t0), until: new Date(t0 + 60 * 60_000) } as const;

    const [batchReport, rangeReport] = await Promise.all([
      buildReport(fixture.deps, { kind: 'batch', batchId: 'report-batch' }),
      buildReport(fixture.deps, range),
    ]);

    const foreground = Object.fromEntries(
      batchReport.summary.foregroundRatioHistogram.map((bin) => [bin.label, bin.count]),
    );
    // The fixture's foreground is a third of the area: every succeeded image is in 30–40%.
    expect(foreground).toMatchObject({ '0–10%': 0, '30–40%': 4, '90–100%': 0 });
    expect(batchReport.summary.throughput.binMinutes).toBe(1);
    expect(batchReport.summary.throughput.bins.map((bin) => bin.rows)).toEqual([1, 1, 1, 1, 1, 1, 1]);
    expect(batchReport.summary.batches).toEqual([]);
    expect(rangeReport.summary.throughput.bins).toHaveLength(11);
    expect(
      rangeReport.summary.batches.map((batch) => [batch.batchId, batch.counts.total, batch.counts.FAILED]),
    ).toEqual([
      ['report-batch', 7, 3],
      ['second-batch', 1, 0],
    ]);
    expect(rangeReport.files['report.html']).toContain(
      '<h1>Uploads 2026-07-01 08:00 – 2026-07-01 09:00 UTC</h1>',
    );
    expect(batchReport.files['report.html']).toContain('<h1>Batch report-batch</h1>');
    expect(batchReport.files['summary.csv']).toContain('foregroundRatioHistogram,30–40%,4');
  });

  it("pictures a mask model's foreground mask next to the before and after thumbnails, with the model and the mask's key", async () => {
    // Prepare
    const row = await fixture.seedImage({ batchId: 'mask-batch', status: 'SUCCEEDED', withMask: true });
    // Act
    const report = await buildReport(fixture.deps, { kind: 'batch', batchId: 'mask-batch' });
    // Assess
    const html = report.files['report.html'];
    const start = html.indexOf(`data-image-id="${row.imageId}"`);
    const figure = html.slice(start, html.indexOf('</tr>', start));
    expect(figure.match(/<img class="thumb (before|after|mask)" src="data:image\/jpeg;base64,/g)).toEqual([
      '<img class="thumb before" src="data:image/jpeg;base64,',
      '<img class="thumb after" src="data:image/jpeg;base64,',
      '<img class="thumb mask" src="data:image/jpeg;base64,',
    ]);
    expect(figure).toContain('model darkness-net 1');
    expect(figure).toContain(`s3://${fixture.config.PROCESSED_BUCKET}/processed/${row.imageId}.mask.png`);
    const [header, line] = report.files['images.csv'].trim().split('\r\n');
    const cells = Object.fromEntries((header ?? '').split(',').map((name, i) => [name, line?.split(',')[i]]));
    expect(cells).toMatchObject({
      modelName: 'darkness-net',
      modelVersion: '1',
      maskUri: `s3://${fixture.config.PROCESSED_BUCKET}/processed/${row.imageId}.mask.png`,
    });
  });

  it('escapes what users control (file names) in the HTML', async () => {
    await fixture.seedImage({
      batchId: 'escape-batch',
      status: 'SUCCEEDED',
      originalName: '<img src=x onerror=alert(1)>.png',
    });

    const report = await buildReport(fixture.deps, { kind: 'batch', batchId: 'escape-batch' });

    expect(report.files['report.html']).not.toContain('<img src=x');
    expect(report.files['report.html']).toContain('&lt;img src=x onerror=alert(1)&gt;.png');
  });
});

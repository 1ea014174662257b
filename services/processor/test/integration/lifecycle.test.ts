import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildTestModel, testModelManifest } from '../../scripts/test-segmentation-model.ts';
import { sendJob, type TestJob } from '../support/jobs.ts';
import { type ProcessorChild, spawnProcessor } from '../support/processor-child.ts';
import { startTestStack, type TestStack } from '../support/test-stack.ts';

/** A photo-sized JPEG of noise: slow enough to decode and encode that a signal lands mid-image. */
const noisyJpeg = (width: number, height: number) =>
  sharp({
    create: {
      width,
      height,
      channels: 3,
      background: '#808080',
      noise: { type: 'gaussian', mean: 128, sigma: 50 },
    },
  })
    .jpeg({ quality: 90 })
    .toBuffer();

describe('the processor task lifecycle', () => {
  let h: TestStack;
  let running: ProcessorChild[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'processor-lifecycle-'));

  beforeAll(async () => {
    h = await startTestStack({ visibilityTimeoutSeconds: 60 });
  });
  afterEach(async () => {
    for (const processor of running) if (processor.child.exitCode === null) processor.child.kill('SIGKILL');
    await Promise.all(running.map((processor) => processor.exited));
    running = [];
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await h?.stop();
  });

  const start = (env: Record<string, string>) => {
    const processor = spawnProcessor({ ...h.env, ...env });
    running.push(processor);
    return processor;
  };
  const processedObjects = async () => {
    const listing = await h.clients.s3.send(new ListObjectsV2Command({ Bucket: h.env.PROCESSED_BUCKET }));
    return (listing.Contents ?? []).map((object) => object.Key);
  };

  it('exits 0 after the idle period with one final "processor exiting" line as its last stdout line', async () => {
    const processor = start({ IDLE_EXIT_SECONDS: '1' });
    const { code } = await processor.exited;
    expect(code).toBe(0);
    expect(processor.lines.at(-1)).toMatchObject({
      msg: 'processor exiting',
      reason: 'idle',
      imagesProcessed: 0,
      imagesFailed: 0,
    });
    expect(processor.lines.filter((line) => line.msg === 'processor exiting')).toHaveLength(1);
  });

  it('refuses a model that breaks the contract at start, with a clear message and a non-zero exit', async () => {
    const modelPath = join(dir, 'not-a-model.onnx');
    writeFileSync(modelPath, 'definitely not protobuf');
    const processor = start({ IDLE_EXIT_SECONDS: '1', MODEL_PATH: modelPath });
    const { code } = await processor.exited;
    expect(code).toBe(2);
    expect(processor.lines.find((line) => line.level === 'fatal')).toMatchObject({
      errorCode: 'MODEL_CONTRACT_VIOLATION',
      msg: expect.stringContaining('not-a-model.onnx'),
    });
    expect(processor.finalLine()).toMatchObject({ reason: 'error', imagesProcessed: 0 });
  });

  it('refuses at start a model whose manifest disagrees with its graph, naming the manifest field', async () => {
    // Prepare: the test network, with a manifest that names an input the graph does not have.
    const options = { size: 32 } as const;
    const modelPath = join(dir, 'misdeclared.onnx');
    writeFileSync(modelPath, buildTestModel(options));
    const manifest = testModelManifest(options);
    writeFileSync(
      join(dir, 'misdeclared.manifest.json'),
      JSON.stringify({ ...manifest, input: { ...manifest.input, name: 'pixels' } }),
    );
    // Act
    const processor = start({ IDLE_EXIT_SECONDS: '1', MODEL_PATH: modelPath });
    const { code } = await processor.exited;
    // Assess
    expect(code).toBe(2);
    expect(processor.lines.find((line) => line.level === 'fatal')).toMatchObject({
      errorCode: 'MODEL_CONTRACT_VIOLATION',
      msg: expect.stringContaining('manifest field input.name: the graph has no input named "pixels"'),
      details: { fields: ['input.name'] },
    });
    expect(processor.finalLine()).toMatchObject({ reason: 'error', imagesProcessed: 0 });
  });

  it.each([
    ['CONCURRENCY', 'lots'],
    ['LOG_LEVEL', 'verbose'],
  ])(
    'refuses an invalid %s by name before touching the queue, without a stack trace',
    async (name, value) => {
      const processor = start({ [name]: value });
      const { code } = await processor.exited;
      expect(code).toBe(2);
      const fatal = processor.lines.find((line) => line.level === 'fatal');
      expect(fatal).toMatchObject({
        errorCode: 'CONFIG_INVALID',
        msg: expect.stringContaining(name),
        details: { variables: [name] },
      });
      expect(JSON.stringify(fatal)).not.toContain('    at ');
      // The trigger still gets its contract line.
      expect(processor.finalLine()).toMatchObject({ msg: 'processor exiting', reason: 'error' });
    },
  );

  it('finishes every image exactly once after being killed with SIGKILL mid-batch and started again', async () => {
    // Prepare: a batch of photos, and a processor that is killed once the first one is done.
    const photo = await noisyJpeg(1600, 1200);
    const jobs: TestJob[] = [];
    for (let i = 0; i < 6; i++) jobs.push(await sendJob(h.clients, h.env, photo, { batchId: 'kill-test' }));
    const settings = { CONCURRENCY: '1', VISIBILITY_TIMEOUT_SECONDS: '3', HEARTBEAT_INTERVAL_SECONDS: '1' };
    const first = start({ ...settings, IDLE_EXIT_SECONDS: '30' });
    await first.waitForLine((line) => line.msg === 'image processed', 60_000);
    await first.waitForLine(
      (line) => line.msg === 'processing image' && line.imageId !== jobs[0]?.message.imageId,
    );

    // Act: kill it mid-image, then run a fresh processor until it goes idle.
    first.child.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');
    const second = start({ ...settings, IDLE_EXIT_SECONDS: '5' });
    expect((await second.exited).code).toBe(0);

    // Assess: one SUCCEEDED row and one processed object per image; nothing left on the queue.
    const rows = (await h.rows()).filter((row) => row.batchId === 'kill-test');
    expect(rows.map((row) => row.imageId).sort()).toEqual(jobs.map((job) => job.message.imageId).sort());
    expect(rows.every((row) => row.status === 'SUCCEEDED')).toBe(true);
    const keys = await processedObjects();
    for (const job of jobs) expect(keys).toContain(`processed/${job.message.imageId}.jpg`);
    const processedLines = [...first.lines, ...second.lines].filter((line) => line.msg === 'image processed');
    expect(processedLines).toHaveLength(jobs.length);
    expect(second.finalLine()).toMatchObject({ reason: 'idle', imagesFailed: 0 });
    expect(await h.depth()).toEqual({ visible: 0, inFlight: 0 });
  });

  it('hands in-flight messages back at once on SIGTERM when the stop timeout runs out', async () => {
    // Prepare: two large photos and a long visibility timeout, so a message not handed back stays hidden.
    const photo = await noisyJpeg(3000, 2000);
    const jobs = [
      await sendJob(h.clients, h.env, photo, { batchId: 'sigterm-test' }),
      await sendJob(h.clients, h.env, photo, { batchId: 'sigterm-test' }),
    ];
    const processor = start({
      STOP_TIMEOUT_SECONDS: '0',
      VISIBILITY_TIMEOUT_SECONDS: '60',
      IDLE_EXIT_SECONDS: '30',
    });
    await processor.waitForLine((line) => line.msg === 'processing image', 60_000);

    // Act
    processor.child.kill('SIGTERM');
    const { code } = await processor.exited;

    // Assess: every message is either done (row) or visible again right away, none hidden.
    expect(code).toBe(0);
    const final = processor.finalLine();
    expect(final).toMatchObject({ reason: 'sigterm' });
    expect(Number(final?.handedBack)).toBeGreaterThanOrEqual(1);
    const rows = (await h.rows()).filter((row) => row.batchId === 'sigterm-test');
    const depth = await h.depth();
    expect(depth.inFlight).toBe(0);
    expect(depth.visible + rows.length).toBe(jobs.length);

    // The handed-back messages are finished by the next run.
    const next = start({ IDLE_EXIT_SECONDS: '2' });
    expect((await next.exited).code).toBe(0);
    expect((await h.rows()).filter((row) => row.batchId === 'sigterm-test')).toHaveLength(jobs.length);
  });

  it('finishes the in-flight image on SIGTERM when the stop timeout allows, then exits 0', async () => {
    const photo = await noisyJpeg(3000, 2000);
    const job = await sendJob(h.clients, h.env, photo, { batchId: 'graceful-test' });
    const processor = start({ STOP_TIMEOUT_SECONDS: '30', CONCURRENCY: '1', IDLE_EXIT_SECONDS: '30' });
    await processor.waitForLine((line) => line.msg === 'processing image', 60_000);

    processor.child.kill('SIGTERM');
    const { code } = await processor.exited;

    expect(code).toBe(0);
    expect(processor.finalLine()).toMatchObject({ reason: 'sigterm', imagesProcessed: 1, handedBack: 0 });
    const rows = (await h.rows()).filter((row) => row.batchId === 'graceful-test');
    expect(rows).toMatchObject([{ imageId: job.message.imageId, status: 'SUCCEEDED' }]);
    expect(await h.depth()).toEqual({ visible: 0, inFlight: 0 });
  });
});

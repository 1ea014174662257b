import { GetObjectCommand } from '@aws-sdk/client-s3';
import type { StoredObject, SucceededRow } from '@photo-pipeline/shared/contracts';
import ort from 'onnxruntime-node';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildTestModel,
  testModelManifest,
  testModelNormalisation,
} from '../../scripts/test-segmentation-model.ts';
import { runProcessorOnce } from '../support/in-process-processor.ts';
import { sendJob, type TestJob } from '../support/jobs.ts';
import { createModelFolder } from '../support/model-files.ts';
import { compareInverse, decodeOutput, decodeReference, testImages } from '../support/test-images.ts';
import { startTestStack, type TestStack } from '../support/test-stack.ts';

/** The network takes 128 x 128, letterboxed; foreground is what is dark (below ~57 of 255). */
const modelOptions = { size: 128, resize: 'letterbox' } as const;
const side = 128;

/** Displayed 200 x 300 (stored 300 x 200 with EXIF orientation 6): light, with a dark 100 x 150 block. */
const block = { left: 50, top: 80, width: 100, height: 150 } as const;
const displayed = { width: 200, height: 300 } as const;
/** How far from the block's edges the mask may go either way: the network's soft edge, in photo pixels. */
const edgeBandPx = 10;

function paint(width: number, height: number, value: (x: number, y: number) => number): Buffer {
  const rgb = Buffer.alloc(width * height * 3);
  for (let p = 0; p < width * height; p++)
    rgb.fill(value(p % width, Math.floor(p / width)), p * 3, p * 3 + 3);
  return rgb;
}

/** A 128 x 128 picture of dark and light shapes with a ramp between them: the model sees it unresized. */
function shapesAtModelSize(): Promise<Buffer> {
  const rgb = paint(side, side, (x, y) => {
    const inDisc = (x - 40) ** 2 + (y - 50) ** 2 < 22 ** 2;
    const inBar = x > 70 && x < 110 && y > 20 && y < 110;
    return inDisc || inBar ? 25 + ((x * 3 + y) % 40) : 120 + ((x + 2 * y) % 130);
  });
  return sharp(rgb, { raw: { width: side, height: side, channels: 3 } })
    .png()
    .toBuffer();
}

/** The block picture, stored rotated a quarter turn with orientation 6, so only autoOrient makes it upright. */
function rotatedBlock(): Promise<Buffer> {
  const inBlock = (x: number, y: number) =>
    x >= block.left && x < block.left + block.width && y >= block.top && y < block.top + block.height;
  const upright = paint(displayed.width, displayed.height, (x, y) => (inBlock(x, y) ? 15 : 235));
  return sharp(upright, { raw: { ...displayed, channels: 3 } })
    .rotate(-90)
    .withMetadata({ orientation: 6 })
    .png()
    .toBuffer();
}

/**
 * The independent computation: the documented input rule written out per pixel, the network run
 * directly in onnxruntime, and the documented threshold (round(255 p) >= round(255 x 0.5) = 128).
 */
async function expectedMask(model: Uint8Array, bytes: Buffer): Promise<Uint8Array> {
  const { data } = await decodeReference(bytes);
  const { scale, mean, std } = testModelNormalisation;
  const input = new Float32Array(3 * side * side);
  for (let c = 0; c < 3; c++) {
    for (let p = 0; p < side * side; p++) {
      input[c * side * side + p] = ((data[p * 3 + c] ?? 0) * scale - (mean[c] ?? 0)) / (std[c] ?? 1);
    }
  }
  const session = await ort.InferenceSession.create(model);
  try {
    const { mask } = await session.run({ image: new ort.Tensor('float32', input, [1, 3, side, side]) });
    if (!(mask?.data instanceof Float32Array)) throw new Error('no float mask');
    return Uint8Array.from(mask.data, (p) =>
      Math.round(Math.min(1, Math.max(0, p)) * 255) >= 128 ? 255 : 0,
    );
  } finally {
    await session.release();
  }
}

describe('a v2 segmentation network on the embedded stack', () => {
  const folder = createModelFolder();
  const model = buildTestModel(modelOptions);
  let h: TestStack;
  let run: Awaited<ReturnType<typeof runProcessorOnce>>;
  const jobs: Record<'shapes' | 'rotated' | 'alpha', TestJob | undefined> = {
    shapes: undefined,
    rotated: undefined,
    alpha: undefined,
  };

  beforeAll(async () => {
    // Prepare: the network and its manifest in a folder; three images uploaded and announced.
    const modelPath = folder.write('darkness-net', model, testModelManifest(modelOptions));
    h = await startTestStack();
    jobs.shapes = await sendJob(h.clients, h.env, await shapesAtModelSize(), { contentType: 'image/png' });
    jobs.rotated = await sendJob(h.clients, h.env, await rotatedBlock(), { contentType: 'image/png' });
    jobs.alpha = await sendJob(h.clients, h.env, await testImages.pngWithAlpha(40, 30), {
      contentType: 'image/png',
    });
    // Act
    run = await runProcessorOnce(h.env, { MODEL_PATH: modelPath });
  });
  afterAll(async () => {
    await h?.stop();
    folder.remove();
  });

  it('loads the model as contract v2 from the manifest beside it', () => {
    const loaded = run.logs.find((line) => line.msg === 'model loaded; using cpu');
    expect(loaded).toMatchObject({
      model: { name: 'darkness-net', version: '1' },
      contract: { version: 2, manifest: { kind: 'file' } },
    });
    expect(run.summary).toMatchObject({ imagesProcessed: 3, imagesFailed: 0 });
  });

  it('counts exactly the pixels that the network, run directly and thresholded, marks as foreground', async () => {
    // Prepare
    const job = jobs.shapes;
    if (!job) throw new Error('no job');
    const expected = await expectedMask(model, job.bytes);
    // Act
    const row = await succeededRow(job);
    const mask = await decodedMask(row.mask);
    // Assess
    const expectedCount = expected.filter((value) => value === 255).length;
    expect(expectedCount).toBeGreaterThan(1000);
    expect(expectedCount).toBeLessThan(side * side - 1000);
    expect(row.foregroundPx).toBe(expectedCount);
    expect([mask.width, mask.height]).toEqual([side, side]);
    expect(Buffer.compare(mask.data, Buffer.from(expected))).toBe(0);
  });

  it('scales the mask back to the upright photo and counts it in the photo pixels', async () => {
    // Prepare
    const job = jobs.rotated;
    if (!job) throw new Error('no job');
    // Act
    const row = await succeededRow(job);
    const mask = await decodedMask(row.mask);
    // Assess: the mask is the photo's displayed size, and away from the block's edges it is exact.
    expect([row.width, row.height, mask.width, mask.height]).toEqual([200, 300, 200, 300]);
    expect(row.foregroundPx).toBe(mask.data.filter((value) => value === 255).length);
    let wrong = 0;
    for (let y = 0; y < mask.height; y++) {
      for (let x = 0; x < mask.width; x++) {
        const inside =
          x >= block.left + edgeBandPx &&
          x < block.left + block.width - edgeBandPx &&
          y >= block.top + edgeBandPx &&
          y < block.top + block.height - edgeBandPx;
        const outside =
          x < block.left - edgeBandPx ||
          x >= block.left + block.width + edgeBandPx ||
          y < block.top - edgeBandPx ||
          y >= block.top + block.height + edgeBandPx;
        const value = mask.data[y * mask.width + x];
        if ((inside && value !== 255) || (outside && value !== 0)) wrong++;
      }
    }
    expect(wrong).toBe(0);
    expect(row.foregroundRatio).toBeCloseTo(row.foregroundPx / (200 * 300), 10);
  });

  it('stores the mask next to the processed image, with its key, size and checksum in the row', async () => {
    for (const job of Object.values(jobs)) {
      if (!job) throw new Error('no job');
      const row = await succeededRow(job);
      expect(row.model).toEqual({
        name: 'darkness-net',
        version: '1',
        digest: expect.stringMatching(/^[0-9a-f]{12}$/),
      });
      expect(row.mask).toMatchObject({
        bucket: h.env.PROCESSED_BUCKET,
        key: `processed/${job.message.imageId}.mask.png`,
        contentType: 'image/png',
      });
      const stored = await download(row.mask);
      expect(stored.length).toBe(row.mask?.bytes);
    }
  });

  it('still writes the inverted image, made by sharp since the network has no inverted output', async () => {
    const job = jobs.alpha;
    if (!job) throw new Error('no job');
    const row = await succeededRow(job);
    const output = await decodeOutput(await download(row.output));
    const comparison = compareInverse(await decodeReference(job.bytes), output);
    expect(comparison).toEqual({ maxColourError: 0, meanColourError: 0, maxAlphaError: 0 });
  });

  async function succeededRow(job: TestJob): Promise<SucceededRow> {
    const row = (await h.rows()).find((candidate) => candidate.imageId === job.message.imageId);
    if (row?.status !== 'SUCCEEDED') throw new Error(`no SUCCEEDED row for ${job.message.imageId}`);
    return row;
  }

  async function download(object: StoredObject | undefined): Promise<Buffer> {
    if (!object) throw new Error('no object in the row');
    const reply = await h.clients.s3.send(new GetObjectCommand({ Bucket: object.bucket, Key: object.key }));
    return Buffer.from((await reply.Body?.transformToByteArray()) ?? []);
  }

  async function decodedMask(object: StoredObject | undefined) {
    const { data, info } = await sharp(await download(object))
      .extractChannel(0)
      .raw()
      .toBuffer({ resolveWithObject: true });
    return { data, width: info.width, height: info.height };
  }
});

import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import type { ModelSpec } from '../../scripts/onnx-encoder.ts';
import {
  type TestModelOptions,
  testModelManifest,
  testModelSpec,
} from '../../scripts/test-segmentation-model.ts';
import { processImage } from '../../src/core/image/process-image.ts';
import { createModelFolder, loadOnCpu } from '../support/model-files.ts';
import { compareInverse, decodeOutput, decodeReference, testImages } from '../support/test-images.ts';

const folder = createModelFolder();
afterAll(() => folder.remove());

const imageOptions = { maxPixels: 10_000_000, jpegQuality: 90 } as const;

async function loadTestModel(name: string, options: TestModelOptions, spec = testModelSpec(options)) {
  return loadOnCpu(folder.write(name, spec, testModelManifest(options)));
}

/** The test network with one float initializer replaced (its dims kept). */
function withFloats(spec: ModelSpec, name: string, values: readonly number[]): ModelSpec {
  const raw = new Uint8Array(new Float32Array(values).buffer);
  return {
    ...spec,
    initializers: spec.initializers.map((init) => (init.name === name ? { ...init, raw } : init)),
  };
}

async function decodeMask(png: Buffer) {
  const { data, info } = await sharp(png).extractChannel(0).raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, foreground: data.filter((v) => v === 255).length, data };
}

describe('a v2 model in the per-image path', () => {
  it('inverts with sharp when the model has no inverted output, and writes the mask at the photo size', async () => {
    // Prepare
    const model = await loadTestModel('no-inverted', { size: 32 });
    const bytes = await testImages.pngWithAlpha(40, 30);
    try {
      // Act
      const processed = await processImage(bytes, model, imageOptions);
      // Assess
      const comparison = compareInverse(
        await decodeReference(bytes),
        await decodeOutput(processed.output.bytes),
      );
      expect(comparison).toEqual({ maxColourError: 0, meanColourError: 0, maxAlphaError: 0 });
      expect(processed.mask?.contentType).toBe('image/png');
      const mask = await decodeMask(processed.mask?.bytes ?? Buffer.alloc(0));
      expect([mask.width, mask.height]).toEqual([40, 30]);
      expect(mask.foreground).toBe(processed.foregroundPx);
      expect(processed.foregroundPx).toBeGreaterThan(0);
      expect(processed.foregroundPx).toBeLessThan(40 * 30);
    } finally {
      await model.release();
    }
  });

  it("writes the model's own inverted image when it has one", async () => {
    // Prepare: the network's `inverted` made a flat grey 100, so it cannot be mistaken for sharp's negate.
    const options = { size: 'dynamic', invertedOutput: true } as const;
    let spec = withFloats(testModelSpec(options), 'inverted_scale', [0, 0, 0]);
    spec = withFloats(spec, 'inverted_offset', [100.5, 100.5, 100.5]);
    const model = await loadTestModel('own-inverted', options, spec);
    const bytes = await testImages.pngWithAlpha(32, 24);
    try {
      // Act
      const processed = await processImage(bytes, model, imageOptions);
      // Assess
      const output = await decodeOutput(processed.output.bytes);
      const colours = output.data.filter((_, i) => i % 4 !== 3);
      expect(colours.every((value) => value === 100)).toBe(true);
    } finally {
      await model.release();
    }
  });

  it('gives the same mask from logits (threshold through a sigmoid) as from probabilities', async () => {
    // Prepare
    const probability = await loadTestModel('probability', { size: 32 });
    const logit = await loadTestModel('logit', { size: 32, maskValues: 'logit' });
    const bytes = await testImages.jpeg(64, 48);
    try {
      // Act
      const [a, b] = await Promise.all([
        processImage(bytes, probability, imageOptions),
        processImage(bytes, logit, imageOptions),
      ]);
      // Assess
      expect(a.foregroundPx).toBeGreaterThan(0);
      expect(b.foregroundPx).toBe(a.foregroundPx);
      expect(Buffer.compare(b.mask?.bytes ?? Buffer.alloc(0), a.mask?.bytes ?? Buffer.alloc(1))).toBe(0);
    } finally {
      await probability.release();
      await logit.release();
    }
  });
});

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildDefaultModel } from '../../scripts/build-model.ts';
import { type LoadModelOptions, loadModel } from '../../src/adapters/onnx/inference-model.ts';
import { defaultModelPath } from '../../src/core/model/model-path.ts';
import { expectedForeground, randomRgb } from '../support/random-rgb.ts';

/** The built-in model on CPU with one thread, as these tests run it, with `options` on top. */
function loadDefaultModel(options: Partial<LoadModelOptions> = {}) {
  return loadModel({
    path: defaultModelPath,
    provider: 'cpu',
    gpuVisible: false,
    intraOpThreads: 1,
    ...options,
  });
}

describe('the default model', () => {
  it('is reproduced byte for byte by the build script', () => {
    // Prepare / Act
    const built = buildDefaultModel();
    // Assess
    const committed = readFileSync(defaultModelPath);
    expect(Buffer.compare(Buffer.from(built), committed)).toBe(0);
  });

  it('inverts every channel and counts the pixels dark in all channels, for odd shapes too', async () => {
    const model = await loadDefaultModel();
    try {
      for (const [width, height, seed] of [
        [1, 1, 7],
        [97, 31, 11],
        [640, 480, 3],
      ] as const) {
        const rgb = randomRgb(width, height, seed);
        const { inverted, foregroundPx } = await model.run(rgb, width, height);
        expect(inverted.length).toBe(rgb.length);
        const mismatch = rgb.findIndex((value, index) => inverted[index] !== 255 - value);
        expect(mismatch).toBe(-1);
        expect(foregroundPx).toBe(expectedForeground(rgb));
      }
    } finally {
      await model.release();
    }
  });

  it('counts every pixel of an all-black image and none of an all-white one', async () => {
    const model = await loadDefaultModel();
    try {
      const black = await model.run(new Uint8Array(50 * 40 * 3), 50, 40);
      const white = await model.run(new Uint8Array(50 * 40 * 3).fill(255), 50, 40);
      expect(black.foregroundPx).toBe(2000);
      expect(black.inverted.every((value) => value === 255)).toBe(true);
      expect(white.foregroundPx).toBe(0);
    } finally {
      await model.release();
    }
  });

  it('reports its name, a content-derived version and the provider it runs on', async () => {
    const model = await loadDefaultModel({ provider: 'auto' });
    try {
      expect(model.name).toBe('inverse-area');
      expect(model.version).toMatch(/^[0-9a-f]{12}$/);
      expect(model.executionProvider).toBe('cpu');
      expect(model.providerReason).toContain('no NVIDIA GPU');
    } finally {
      await model.release();
    }
  });
});

describe('the default model run in bands of rows', () => {
  it('gives the same inverted image and count as one run over the whole image, also in place', async () => {
    const whole = await loadDefaultModel();
    const banded = await loadDefaultModel({
      tileRows: 16,
      inPlace: true,
    });
    try {
      const [width, height] = [123, 77]; // 77 rows: four full bands of 16 and a last one of 13
      const rgb = randomRgb(width, height, 42);
      const a = await whole.run(rgb, width, height);
      const b = await banded.run(Uint8Array.from(rgb), width, height);
      expect(b.foregroundPx).toBe(a.foregroundPx);
      expect(b.foregroundPx).toBe(expectedForeground(rgb));
      expect(Buffer.compare(a.inverted, b.inverted)).toBe(0);
    } finally {
      await whole.release();
      await banded.release();
    }
  });
});

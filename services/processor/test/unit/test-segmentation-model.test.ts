import { createHash } from 'node:crypto';
import ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { buildTestModel, testModelSpec } from '../../scripts/test-segmentation-model.ts';

const digest = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('the test segmentation network built from code', () => {
  it('is the same bytes on every build', () => {
    expect(digest(buildTestModel({ size: 128 }))).toBe(digest(buildTestModel({ size: 128 })));
  });

  it('is a float32 NCHW encoder-decoder of a few hundred kB: Conv, Relu, MaxPool, Resize, Sigmoid', () => {
    // Act
    const spec = testModelSpec({ size: 128 });
    const bytes = buildTestModel({ size: 128 });
    // Assess
    const ops = new Set(spec.nodes.map((node) => node.opType));
    for (const op of ['Conv', 'Relu', 'MaxPool', 'Resize', 'Sigmoid']) expect(ops).toContain(op);
    expect(spec.inputs[0]).toMatchObject({ elementType: 'float', dims: [1, 3, 128, 128] });
    expect(bytes.length).toBeGreaterThan(200_000);
    expect(bytes.length).toBeLessThan(400_000);
  });

  it('finds a dark square on a light background and nothing in a light image', async () => {
    // Prepare: inputs normalised as the manifest says; 20 is dark, 230 light.
    const session = await ort.InferenceSession.create(buildTestModel({ size: 64 }));
    const normalised = (paint: (x: number, y: number) => number) => {
      const data = new Float32Array(3 * 64 * 64);
      const mean = [0.485, 0.456, 0.406];
      const std = [0.229, 0.224, 0.225];
      for (let c = 0; c < 3; c++) {
        for (let p = 0; p < 64 * 64; p++) {
          data[c * 4096 + p] = (paint(p % 64, Math.floor(p / 64)) / 255 - (mean[c] ?? 0)) / (std[c] ?? 1);
        }
      }
      return new ort.Tensor('float32', data, [1, 3, 64, 64]);
    };
    const inSquare = (x: number, y: number) => x >= 16 && x < 48 && y >= 16 && y < 48;
    try {
      // Act
      const square = await session.run({ image: normalised((x, y) => (inSquare(x, y) ? 20 : 230)) });
      const light = await session.run({ image: normalised(() => 230) });
      // Assess
      const mask = square.mask?.data;
      if (!(mask instanceof Float32Array)) throw new Error('no float mask');
      expect(mask[32 * 64 + 32]).toBeGreaterThan(0.8);
      expect(mask[4 * 64 + 4]).toBeLessThan(0.1);
      const lightMask = light.mask?.data;
      if (!(lightMask instanceof Float32Array)) throw new Error('no float mask');
      expect(Math.max(...lightMask)).toBeLessThan(0.1);
    } finally {
      await session.release();
    }
  });
});

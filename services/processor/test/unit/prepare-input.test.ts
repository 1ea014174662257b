import type { ModelInputSpec } from '@photo-pipeline/shared/contracts';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { inputGeometry } from '../../src/core/model/input-geometry.ts';
import { createInputPreparer } from '../../src/core/model/prepare-input.ts';
import { gradientRgb } from '../support/test-images.ts';

const imagenet = { scale: 1 / 255, mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] } as const;

function spec(overrides: Partial<ModelInputSpec>): ModelInputSpec {
  return {
    name: 'image',
    layout: 'NCHW',
    type: 'float32',
    size: { kind: 'dynamic' },
    scale: 1,
    mean: [0, 0, 0],
    std: [1, 1, 1],
    ...overrides,
  };
}

/** The documented rule, written out pixel by pixel: (v * scale - mean[c]) / std[c], as float32. */
function normalisedNchw(rgb: Uint8Array, width: number, height: number): Float32Array {
  const out = new Float32Array(width * height * 3);
  for (let c = 0; c < 3; c++) {
    for (let p = 0; p < width * height; p++) {
      const value = rgb[p * 3 + c] ?? 0;
      out[c * width * height + p] =
        (value * imagenet.scale - (imagenet.mean[c] ?? 0)) / (imagenet.std[c] ?? 1);
    }
  }
  return out;
}

describe('where the photo goes in the model input', () => {
  it('letterboxes a wide photo: scaled to fit, aspect kept, centred vertically', () => {
    const size: ModelInputSpec['size'] = {
      kind: 'fixed',
      width: 64,
      height: 64,
      resize: 'letterbox',
      padding: [0, 0, 0],
    };
    expect(inputGeometry(size, 200, 100)).toEqual({
      width: 64,
      height: 64,
      content: { left: 0, top: 16, width: 64, height: 32 },
    });
    expect(inputGeometry(size, 30, 90).content).toEqual({ left: 21, top: 0, width: 21, height: 64 });
  });

  it('stretches to the whole input, and keeps a dynamic input at the photo size', () => {
    const stretch: ModelInputSpec['size'] = {
      kind: 'fixed',
      width: 32,
      height: 48,
      resize: 'stretch',
      padding: [0, 0, 0],
    };
    expect(inputGeometry(stretch, 200, 100).content).toEqual({ left: 0, top: 0, width: 32, height: 48 });
    expect(inputGeometry({ kind: 'dynamic' }, 7, 5)).toEqual({
      width: 7,
      height: 5,
      content: { left: 0, top: 0, width: 7, height: 5 },
    });
  });
});

describe('preparing the input tensor', () => {
  it('passes a uint8 NHWC input at the photo size as the decoded buffer itself', async () => {
    // Prepare
    const rgb = gradientRgb(9, 7);
    // Act
    const prepared = await createInputPreparer(spec({ layout: 'NHWC', type: 'uint8' }))(rgb, 9, 7);
    // Assess
    expect(prepared.data).toBe(rgb);
    expect(prepared.dims).toEqual([1, 7, 9, 3]);
  });

  it('splits the planes for NCHW and normalises each channel by its own mean and std', async () => {
    // Prepare
    const [width, height] = [13, 11];
    const rgb = gradientRgb(width, height);
    // Act
    const prepared = await createInputPreparer(
      spec({ ...imagenet, mean: [...imagenet.mean], std: [...imagenet.std] }),
    )(rgb, width, height);
    // Assess
    expect(prepared.dims).toEqual([1, 3, height, width]);
    expect(prepared.data).toEqual(normalisedNchw(rgb, width, height));
  });

  it('gives uint8 NCHW planes without normalising', async () => {
    const rgb = gradientRgb(5, 4);
    const prepared = await createInputPreparer(spec({ type: 'uint8' }))(rgb, 5, 4);
    const green = Uint8Array.from({ length: 20 }, (_, p) => rgb[p * 3 + 1] ?? 0);
    expect(prepared.data.subarray(20, 40)).toEqual(green);
  });

  it('letterboxes with the padding colour and puts the resized photo in the middle', async () => {
    // Prepare: a 40 x 20 photo into a 16 x 16 input: 16 x 8 of photo between 4 rows of padding each side.
    const [width, height] = [40, 20];
    const rgb = gradientRgb(width, height);
    const input = spec({
      layout: 'NHWC',
      type: 'uint8',
      size: { kind: 'fixed', width: 16, height: 16, resize: 'letterbox', padding: [10, 20, 30] },
    });
    const expectedPhoto = await sharp(rgb, { raw: { width, height, channels: 3 } })
      .resize(16, 8, { fit: 'fill' })
      .raw()
      .toBuffer();
    // Act
    const prepared = await createInputPreparer(input)(rgb, width, height);
    // Assess
    const rows = Buffer.from(prepared.data.buffer, prepared.data.byteOffset, prepared.data.byteLength);
    const rowBytes = 16 * 3;
    const padding = Buffer.alloc(rowBytes * 4);
    for (let i = 0; i < padding.length; i += 3) padding.set([10, 20, 30], i);
    expect(prepared.geometry.content).toEqual({ left: 0, top: 4, width: 16, height: 8 });
    expect(rows.subarray(0, 4 * rowBytes)).toEqual(padding);
    expect(rows.subarray(4 * rowBytes, 12 * rowBytes)).toEqual(expectedPhoto);
    expect(rows.subarray(12 * rowBytes)).toEqual(padding);
  });
});

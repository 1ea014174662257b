import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { inputGeometry } from '../../src/core/model/input-geometry.ts';
import { encodeMaskPng, maskForImage, maskLevels, thresholdLevel } from '../../src/core/model/mask.ts';

const countOf = (pixels: Uint8Array, value = 255) => pixels.reduce((n, v) => n + (v === value ? 1 : 0), 0);

describe('mask levels and the threshold', () => {
  it('turns probabilities into 8-bit levels, clamping and treating NaN as 0', () => {
    const levels = maskLevels(new Float32Array([0, 0.5, 1, 1.7, -0.2, Number.NaN, 0.25]), 'probability');
    expect([...levels]).toEqual([0, 128, 255, 255, 0, 0, 64]);
  });

  it('puts logits through a sigmoid first', () => {
    const levels = maskLevels(new Float32Array([0, 100, -100, Math.log(3)]), 'logit');
    expect([...levels]).toEqual([128, 255, 0, 191]);
  });

  it('compares on the same 1/255 steps: probability 0.5 is level 128, never 0', () => {
    expect(thresholdLevel(0.5)).toBe(128);
    expect(thresholdLevel(0.001)).toBe(1);
    expect(thresholdLevel(0.999)).toBe(255);
  });
});

describe('the mask scaled back to the photo', () => {
  it('thresholds a mask already at the photo size pixel by pixel, and counts the foreground', async () => {
    // Prepare
    const levels = Uint8Array.from({ length: 6 * 4 }, (_, i) => (i * 37) % 256);
    // Act
    const mask = await maskForImage(levels, inputGeometry({ kind: 'dynamic' }, 6, 4), 6, 4, 0.5);
    // Assess
    expect([...mask.pixels]).toEqual([...levels].map((level) => (level >= 128 ? 255 : 0)));
    expect(mask.foregroundPx).toBe(countOf(mask.pixels));
  });

  it('cuts the letterbox padding off and scales the rest to the photo', async () => {
    // Prepare: a 200 x 100 photo in a 16 x 16 input sits in rows 4-11; its left half is foreground there,
    // and the padding rows claim foreground too (which must not count).
    const geometry = inputGeometry(
      { kind: 'fixed', width: 16, height: 16, resize: 'letterbox', padding: [0, 0, 0] },
      200,
      100,
    );
    const levels = new Uint8Array(16 * 16);
    for (let y = 0; y < 16; y++) {
      for (let x = 0; x < 16; x++) levels[y * 16 + x] = y < 4 || y >= 12 || x < 8 ? 255 : 0;
    }
    // Act
    const mask = await maskForImage(levels, geometry, 200, 100, 0.5);
    // Assess
    expect([mask.width, mask.height, mask.pixels.length]).toEqual([200, 100, 200 * 100]);
    const row = mask.pixels.subarray(50 * 200, 51 * 200);
    expect(countOf(row.subarray(0, 90))).toBe(90);
    expect(countOf(row.subarray(110), 0)).toBe(90);
    expect(mask.foregroundPx).toBe(countOf(mask.pixels));
    expect(Math.abs(mask.foregroundPx - 100 * 100)).toBeLessThanOrEqual(100 * 10);
  });

  it('encodes the mask as a one-channel PNG that decodes to the same pixels', async () => {
    const levels = Uint8Array.from({ length: 8 * 8 }, (_, i) => (i % 3 === 0 ? 255 : 0));
    const mask = await maskForImage(levels, inputGeometry({ kind: 'dynamic' }, 8, 8), 8, 8, 0.5);
    const png = await encodeMaskPng(mask);
    const metadata = await sharp(png.bytes).metadata();
    const decoded = await sharp(png.bytes).extractChannel(0).raw().toBuffer();
    expect(png.contentType).toBe('image/png');
    expect([metadata.format, metadata.channels]).toEqual(['png', 1]);
    expect(Buffer.compare(decoded, mask.pixels)).toBe(0);
  });
});

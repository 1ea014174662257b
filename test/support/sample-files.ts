import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';

export interface GeneratedFiles {
  readonly dir: string;
  /** file name -> expected outcome */
  readonly expected: ReadonlyMap<
    string,
    { status: 'SUCCEEDED'; width: number; height: number } | { status: 'FAILED'; errorCode: string }
  >;
}

/**
 * Writes `valid` small images (JPEG and PNG, each a different size and colour) and `corrupt` truncated
 * JPEGs into a fresh temporary folder, with what the pipeline should make of each.
 */
export async function writeImageFiles(
  valid: number,
  corrupt: number,
  prefix = 'img',
): Promise<GeneratedFiles> {
  const dir = mkdtempSync(join(tmpdir(), 'pp-e2e-'));
  const expected = new Map<
    string,
    { status: 'SUCCEEDED'; width: number; height: number } | { status: 'FAILED'; errorCode: string }
  >();
  for (let i = 0; i < valid; i += 1) {
    const width = 40 + (i % 17);
    const height = 30 + (i % 11);
    const image = sharp({
      create: {
        width,
        height,
        channels: 3,
        background: { r: (i * 37) % 256, g: (i * 91) % 256, b: (i * 53) % 256 },
      },
    });
    const png = i % 4 === 3;
    const name = `${prefix}-${String(i).padStart(4, '0')}.${png ? 'png' : 'jpg'}`;
    writeFileSync(join(dir, name), await (png ? image.png() : image.jpeg({ quality: 85 })).toBuffer());
    expected.set(name, { status: 'SUCCEEDED', width, height });
  }
  // Large enough that cutting it in half lands in the compressed scan, after a complete header.
  const whole = await sharp({
    create: {
      width: 320,
      height: 240,
      channels: 3,
      background: '#808080',
      noise: { type: 'gaussian', mean: 128, sigma: 40 },
    },
  })
    .jpeg({ quality: 90 })
    .toBuffer();
  for (let i = 0; i < corrupt; i += 1) {
    const name = `${prefix}-broken-${String(i).padStart(3, '0')}.jpg`;
    writeFileSync(join(dir, name), whole.subarray(0, Math.floor(whole.length / 2) + i));
    expected.set(name, { status: 'FAILED', errorCode: 'IMAGE_CORRUPT' });
  }
  return { dir, expected };
}

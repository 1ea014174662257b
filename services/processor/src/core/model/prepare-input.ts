import type { ModelInputSpec } from '@photo-pipeline/shared/contracts';
import sharp from 'sharp';
import { type InputGeometry, inputDims, inputGeometry, isIdentity } from './input-geometry.ts';

export interface PreparedInput {
  readonly data: Uint8Array | Float32Array;
  readonly dims: readonly number[];
  readonly geometry: InputGeometry;
}

export type InputPreparer = (rgb: Uint8Array, width: number, height: number) => Promise<PreparedInput>;

/**
 * Per channel, the float each 8-bit value becomes: (v * scale - mean[c]) / std[c]. A uint8 value has
 * 256 possible values, so normalising is one table lookup per element, computed once per model.
 */
function normalisationTables(input: ModelInputSpec): readonly Float32Array[] {
  return [0, 1, 2].map((channel) => {
    const mean = input.mean[channel] ?? 0;
    const std = input.std[channel] ?? 1;
    return Float32Array.from({ length: 256 }, (_, value) => (value * input.scale - mean) / std);
  });
}

/** The photo resized (stretch) or fitted and padded (letterbox) to the model's size, RGB interleaved. */
async function fitToModel(
  rgb: Uint8Array,
  width: number,
  height: number,
  geometry: InputGeometry,
  padding: readonly [number, number, number],
): Promise<Uint8Array> {
  const { content } = geometry;
  let image = sharp(rgb, { raw: { width, height, channels: 3 } }).resize(content.width, content.height, {
    fit: 'fill',
  });
  if (content.width !== geometry.width || content.height !== geometry.height) {
    const [r, g, b] = padding;
    image = image.extend({
      top: content.top,
      bottom: geometry.height - content.height - content.top,
      left: content.left,
      right: geometry.width - content.width - content.left,
      background: { r, g, b },
    });
  }
  return image.raw().toBuffer();
}

/** The three colour planes of an interleaved RGB image, split by libvips. */
function planes(rgb: Uint8Array, geometry: InputGeometry): Promise<Buffer[]> {
  const raw = { width: geometry.width, height: geometry.height, channels: 3 } as const;
  const channels = [0, 1, 2] as const;
  return Promise.all(channels.map((channel) => sharp(rgb, { raw }).extractChannel(channel).raw().toBuffer()));
}

/**
 * Makes the input tensor a v2 manifest declares from the decoded photo (RGB, 8 bits, EXIF-oriented):
 * resize or letterbox with sharp, planes for NCHW with sharp, and for float32 the per-channel
 * normalisation through lookup tables. sharp does not do the normalisation itself: its `linear` clamps
 * and rounds to 8 bits for 8-bit images, and float raw input comes back as zeros through its pipeline.
 * A uint8 NHWC input at the photo's own size is the decoded buffer itself, without a copy.
 */
export function createInputPreparer(input: ModelInputSpec): InputPreparer {
  const tables = input.type === 'float32' ? normalisationTables(input) : undefined;
  const padding = input.size.kind === 'fixed' ? input.size.padding : ([0, 0, 0] as const);
  return async (rgb, width, height) => {
    const geometry = inputGeometry(input.size, width, height);
    const dims = inputDims(input.layout, geometry);
    const sized = isIdentity(geometry, width, height)
      ? rgb
      : await fitToModel(rgb, width, height, geometry, padding);
    const pixels = geometry.width * geometry.height;
    if (input.layout === 'NHWC') {
      if (!tables) return { data: sized, dims, geometry };
      return { data: normaliseInterleaved(sized, tables), dims, geometry };
    }
    const data = tables ? new Float32Array(pixels * 3) : new Uint8Array(pixels * 3);
    for (const [channel, plane] of (await planes(sized, geometry)).entries()) {
      const target = data.subarray(channel * pixels, (channel + 1) * pixels);
      const table = tables?.[channel];
      if (table && target instanceof Float32Array) normalisePlane(plane, table, target);
      else target.set(plane);
    }
    return { data, dims, geometry };
  };
}

function normalisePlane(plane: Uint8Array, table: Float32Array, target: Float32Array): void {
  for (let i = 0; i < plane.length; i++) target[i] = table[plane[i] ?? 0] ?? 0;
}

function normaliseInterleaved(rgb: Uint8Array, tables: readonly Float32Array[]): Float32Array {
  const [r, g, b] = tables;
  const out = new Float32Array(rgb.length);
  if (!r || !g || !b) return out;
  for (let i = 0; i < rgb.length; i += 3) {
    out[i] = r[rgb[i] ?? 0] ?? 0;
    out[i + 1] = g[rgb[i + 1] ?? 0] ?? 0;
    out[i + 2] = b[rgb[i + 2] ?? 0] ?? 0;
  }
  return out;
}

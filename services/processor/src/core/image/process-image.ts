import type { BufferPool } from '../model/buffer-pool.ts';
import { encodeMaskPng } from '../model/mask.ts';
import type { InferenceModel } from '../processor-ports.ts';
import { decodeImage } from './decode-image.ts';
import { type EncodedImage, encodeImage } from './encode-image.ts';
import type { EncoderSettings } from './image-limits.ts';

export interface ProcessedImage {
  readonly width: number;
  readonly height: number;
  readonly foregroundPx: number;
  readonly output: EncodedImage;
  /** The foreground mask as a PNG at width x height, for models with a mask output. */
  readonly mask?: EncodedImage;
  readonly timings: { readonly decodeMs: number; readonly inferenceMs: number; readonly encodeMs: number };
}

export interface ProcessImageOptions extends EncoderSettings {
  readonly maxPixels: number;
  /** Reused buffers for decoded pixels (one per image in flight); without it each image gets fresh ones. */
  readonly buffers?: BufferPool;
}

/** The per-image path with no AWS in it: decode, run the model, encode (the image, and the mask if any). */
export async function processImage(
  bytes: Buffer,
  model: Pick<InferenceModel, 'run'>,
  options: ProcessImageOptions,
): Promise<ProcessedImage> {
  const started = performance.now();
  const decoded = await decodeImage(bytes, options.maxPixels, options.buffers);
  try {
    const decodedAt = performance.now();
    const result = await model.run(decoded.rgb, decoded.width, decoded.height);
    const inferredAt = performance.now();
    let output: EncodedImage;
    let mask: EncodedImage | undefined;
    try {
      [output, mask] = await Promise.all([
        encodeImage(result.inverted, decoded.width, decoded.height, decoded.alpha, options),
        result.mask ? encodeMaskPng(result.mask) : undefined,
      ]);
    } finally {
      result.release();
    }
    const encodedAt = performance.now();
    const { foregroundPx } = result;
    return {
      width: decoded.width,
      height: decoded.height,
      foregroundPx,
      output,
      ...(mask ? { mask } : {}),
      timings: {
        decodeMs: round(decodedAt - started),
        inferenceMs: round(inferredAt - decodedAt),
        encodeMs: round(encodedAt - inferredAt),
      },
    };
  } finally {
    // The model may have written the inverted image over the decoded pixels: both are done with here.
    decoded.release();
  }
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}

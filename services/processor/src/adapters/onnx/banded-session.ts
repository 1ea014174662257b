import { PermanentError } from '@photo-pipeline/shared/errors';
import ort from 'onnxruntime-node';
import type { BufferPool } from '../../core/model/buffer-pool.ts';
import { modelContract } from '../../core/model/model-contract.ts';
import type { InferenceModel, ModelOutput } from '../../core/processor-ports.ts';

/**
 * A contract-v1 session as an InferenceModel's run and release: whole images or bands of `tileRows`
 * rows, the inverted image written into a pooled buffer (or over the input with `inPlace`).
 */
export function wrapSession(
  session: ort.InferenceSession,
  settings: { readonly outputs: BufferPool; readonly tileRows: number; readonly inPlace: boolean },
): Pick<InferenceModel, 'run' | 'release' | 'tileRows'> {
  const { input, inverted, foregroundPixels } = modelContract;
  const { outputs, tileRows, inPlace } = settings;
  // One image's run at a time, in arrival order. onnxruntime-node runs each band on the JavaScript
  // thread, so two images whose bands interleave both finish late, and then decode and encode at the
  // same time while that thread idles (the in-flight images fall into step). Finishing one image first
  // lets its encode run on a libvips thread while the next image's bands run here.
  let previousRun: Promise<unknown> = Promise.resolve();
  return {
    tileRows,
    run(rgb, width, height) {
      const thisRun = previousRun.then(() => runImage(rgb, width, height));
      // The next run waits for this one to settle, whether it succeeds or fails.
      previousRun = thisRun.catch(() => undefined);
      return thisRun;
    },
    release: () => session.release(),
  };

  /** Runs the model over the whole image, in bands of `tileRows` rows when set. */
  async function runImage(rgb: Uint8Array, width: number, height: number): Promise<ModelOutput> {
    // onnxruntime writes the inverted image straight into a reused buffer (no copy out of its own
    // memory, no fresh pages); input tensors are views on the decoder's buffer, also without copies.
    const output = inPlace
      ? { bytes: Buffer.from(rgb.buffer, rgb.byteOffset, rgb.byteLength), release: () => {} }
      : outputs.acquire(width * height * 3);
    try {
      const rows = tileRows > 0 ? tileRows : height;
      let foregroundPx = 0;
      for (let top = 0; top < height; top += rows) {
        const bandRows = Math.min(rows, height - top);
        const start = top * width * 3;
        const end = (top + bandRows) * width * 3;
        foregroundPx += await runOnce(
          rgb.subarray(start, end),
          output.bytes.subarray(start, end),
          width,
          bandRows,
        );
      }
      return { inverted: output.bytes, foregroundPx, release: output.release };
    } catch (error) {
      output.release();
      throw error;
    }
  }

  /** Runs the model on one band of rows; returns its foreground count. */
  async function runOnce(rgb: Uint8Array, output: Buffer, width: number, height: number): Promise<number> {
    const shape = [1, height, width, 3];
    const results = await session.run(
      { [input.name]: new ort.Tensor('uint8', rgb, shape) },
      { [inverted.name]: new ort.Tensor('uint8', output, shape), [foregroundPixels.name]: null },
    );
    const invertedTensor = results[inverted.name];
    const count = results[foregroundPixels.name];
    if (!invertedTensor || !count || count.type !== 'int64' || count.data.length !== 1) {
      throw new PermanentError(
        'MODEL_CONTRACT_VIOLATION',
        'the model returned outputs that break the contract',
      );
    }
    const dims = invertedTensor.dims;
    if (dims.length !== 4 || dims[1] !== height || dims[2] !== width || dims[3] !== 3) {
      throw new PermanentError(
        'MODEL_CONTRACT_VIOLATION',
        `the model returned "${inverted.name}" of shape [${dims.join(', ')}] for an input of [${shape.join(', ')}]`,
      );
    }
    const foregroundPx = Number(count.data[0]);
    if (!Number.isSafeInteger(foregroundPx) || foregroundPx < 0 || foregroundPx > width * height) {
      throw new PermanentError(
        'MODEL_CONTRACT_VIOLATION',
        `the model counted ${String(count.data[0])} foreground pixels in a ${width}x${height} image`,
      );
    }
    return foregroundPx;
  }
}

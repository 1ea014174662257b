import {
  contractV1AsV2,
  type ModelManifest,
  type ModelManifestV2,
  type ModelMaskSpec,
} from '@photo-pipeline/shared/contracts';
import { PermanentError } from '@photo-pipeline/shared/errors';
import ort from 'onnxruntime-node';
import pLimit from 'p-limit';
import { negateRgb } from '../../core/image/negate-image.ts';
import { inputDims, inputGeometry } from '../../core/model/input-geometry.ts';
import { type ForegroundMask, maskForImage, maskLevels } from '../../core/model/mask.ts';
import { createInputPreparer, type PreparedInput } from '../../core/model/prepare-input.ts';

/** What one run of a v2 model gives the processor. */
export interface ManifestModelOutput {
  /** The inverted image, RGB interleaved, width x height x 3: the model's `inverted` or sharp's negate. */
  readonly inverted: Buffer;
  readonly foregroundPx: number;
  /** The foreground mask at the photo's size, for models with a `mask` output. */
  readonly mask?: ForegroundMask;
}

export interface ManifestRunner {
  run(rgb: Uint8Array, width: number, height: number): Promise<ManifestModelOutput>;
}

function violation(message: string): PermanentError {
  return new PermanentError('MODEL_CONTRACT_VIOLATION', `model contract violated: ${message}`);
}

function inputTensor(type: ModelManifestV2['input']['type'], input: PreparedInput): ort.Tensor {
  const { data, dims } = input;
  if (type === 'uint8' && data instanceof Uint8Array) return new ort.Tensor('uint8', data, dims);
  if (type === 'float32' && data instanceof Float32Array) return new ort.Tensor('float32', data, dims);
  throw new Error(`prepared ${data.constructor.name} for a ${type} input`);
}

function outputNamed(results: ort.InferenceSession.ReturnType, name: string): ort.Tensor {
  const tensor = results[name];
  if (!tensor) throw violation(`the model returned no output "${name}"`);
  return tensor;
}

function maskValues(tensor: ort.Tensor, spec: ModelMaskSpec, input: PreparedInput): Float32Array {
  const expected = input.geometry.width * input.geometry.height;
  if (!(tensor.data instanceof Float32Array) || tensor.data.length !== expected) {
    throw violation(
      `the mask "${spec.name}" is ${tensor.type} [${tensor.dims.join(', ')}]; expected ${expected} float32 values (${input.geometry.width}x${input.geometry.height})`,
    );
  }
  return tensor.data;
}

function invertedImage(tensor: ort.Tensor, width: number, height: number): Buffer {
  const { data, dims } = tensor;
  if (
    !(data instanceof Uint8Array) ||
    dims.length !== 4 ||
    dims[1] !== height ||
    dims[2] !== width ||
    dims[3] !== 3
  ) {
    throw violation(
      `the inverted image "${tensor.type}" [${dims.join(', ')}] is not uint8 [1, ${height}, ${width}, 3]`,
    );
  }
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}

function foregroundCount(tensor: ort.Tensor, width: number, height: number): number {
  const value =
    tensor.data instanceof BigInt64Array && tensor.data.length === 1 ? Number(tensor.data[0]) : NaN;
  if (!Number.isSafeInteger(value) || value < 0 || value > width * height) {
    throw violation(
      `the model counted ${String(tensor.data[0])} foreground pixels in a ${width}x${height} image`,
    );
  }
  return value;
}

/**
 * Runs a model as its v2 manifest declares: the photo prepared for the input (resize or letterbox,
 * layout, normalisation), the model run, the mask scaled back to the photo's size and counted there,
 * the inverted image taken from the model or made by sharp. The model runs one image at a time, in
 * call order (onnxruntime-node runs on the JavaScript thread); preparing and post-processing, which
 * run in libvips' threads, overlap between images.
 */
export function createManifestRunner(
  session: ort.InferenceSession,
  manifest: ModelManifestV2,
): ManifestRunner {
  const prepare = createInputPreparer(manifest.input);
  const oneRunAtATime = pLimit(1);
  const { outputs } = manifest;
  const fetches = [outputs.inverted?.name, outputs.mask?.name, outputs.foregroundPixels?.name].filter(
    (name) => name !== undefined,
  );
  return {
    async run(rgb, width, height) {
      const input = await prepare(rgb, width, height);
      const results = await oneRunAtATime(() =>
        session.run({ [manifest.input.name]: inputTensor(manifest.input.type, input) }, fetches),
      );
      const inverted = outputs.inverted
        ? invertedImage(outputNamed(results, outputs.inverted.name), width, height)
        : await negateRgb(rgb, width, height);
      if (outputs.mask) {
        const values = maskValues(outputNamed(results, outputs.mask.name), outputs.mask, input);
        const levels = maskLevels(values, outputs.mask.values);
        const mask = await maskForImage(levels, input.geometry, width, height, outputs.mask.threshold);
        return { inverted, foregroundPx: mask.foregroundPx, mask };
      }
      if (!outputs.foregroundPixels) throw violation('the manifest declares neither a mask nor a count');
      const count = outputNamed(results, outputs.foregroundPixels.name);
      return { inverted, foregroundPx: foregroundCount(count, width, height) };
    },
  };
}

/** Zeros of the input's shape (a 64 x 64 photo for a dynamic size), for one warm-up run. */
export function warmUpFeeds(manifest: ModelManifest): ort.InferenceSession.FeedsType {
  const { input } = manifest.contractVersion === 1 ? contractV1AsV2 : manifest;
  const dims = inputDims(input.layout, inputGeometry(input.size, 64, 64));
  const length = dims.reduce((product, dim) => product * dim, 1);
  const tensor =
    input.type === 'uint8'
      ? new ort.Tensor('uint8', new Uint8Array(length), dims)
      : new ort.Tensor('float32', new Float32Array(length), dims);
  return { [input.name]: tensor };
}

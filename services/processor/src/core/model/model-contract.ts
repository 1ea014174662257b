import { isDeepStrictEqual } from 'node:util';
import { contractV1AsV2, type ModelManifestV2 } from '@photo-pipeline/shared/contracts';
import { PermanentError } from '@photo-pipeline/shared/errors';
import type { InferenceSession } from 'onnxruntime-node';

/**
 * The model contract every ONNX model must honour (the default one and any MODEL_PATH):
 *   input  `image`             uint8 [1, H, W, 3] (H and W dynamic)
 *   output `inverted`          uint8 [1, H, W, 3]
 *   output `foreground_pixels` int64, one element (rank 1, or rank 0)
 */
export const modelContract = {
  input: { name: 'image', type: 'uint8', rank: 4 },
  inverted: { name: 'inverted', type: 'uint8', rank: 4 },
  foregroundPixels: { name: 'foreground_pixels', type: 'int64', ranks: [0, 1] },
} as const;

type Metadata = readonly InferenceSession.ValueMetadata[];

function find(metadata: Metadata, name: string, where: string): InferenceSession.ValueMetadata {
  const found = metadata.find((value) => value.name === name);
  if (!found) {
    const names = metadata.map((value) => value.name).join(', ') || 'none';
    throw contractError(`the model has no ${where} named "${name}" (it has: ${names})`);
  }
  return found;
}

function contractError(problem: string): PermanentError {
  return new PermanentError('MODEL_CONTRACT_VIOLATION', `model contract violated: ${problem}`);
}

/** Axes of the image tensors that must be dynamic, so that photos of every size fit: height and width. */
const imageSizeAxes = { 1: 'height', 2: 'width' } as const;

function checkTensor(
  value: InferenceSession.ValueMetadata,
  type: string,
  ranks: readonly number[],
  fixed: Readonly<Record<number, number>>,
  dynamic: Readonly<Record<number, string>> = {},
): void {
  if (!value.isTensor) throw contractError(`"${value.name}" is not a tensor`);
  if (value.type !== type) throw contractError(`"${value.name}" is ${value.type}, expected ${type}`);
  // An empty shape means the model does not declare one; ONNX allows that, the run checks it then.
  if (value.shape.length === 0) return;
  if (!ranks.includes(value.shape.length)) {
    throw contractError(
      `"${value.name}" has rank ${value.shape.length} [${value.shape.join(', ')}], expected rank ${ranks.join(' or ')}`,
    );
  }
  for (const [axis, size] of Object.entries(fixed)) {
    const dim = value.shape[Number(axis)];
    if (typeof dim === 'number' && dim !== size) {
      throw contractError(`"${value.name}" has size ${dim} on axis ${axis}, expected ${size}`);
    }
  }
  for (const [axis, role] of Object.entries(dynamic)) {
    const dim = value.shape[Number(axis)];
    if (typeof dim === 'number') {
      throw contractError(
        `"${value.name}" has a fixed ${role} of ${dim} (axis ${axis}); the contract needs a dynamic ${role}, for images of any size`,
      );
    }
  }
}

/**
 * Refuses, with MODEL_CONTRACT_VIOLATION naming the problem, a model whose inputs or outputs break the
 * contract: names, element types, ranks, the fixed batch (1) and channel (3) sizes, and a dynamic height
 * and width (a model fixed to one size would fail every other image, one FAILED row at a time).
 */
export function checkModelContract(
  session: Pick<InferenceSession, 'inputMetadata' | 'outputMetadata'>,
): void {
  const { input, inverted, foregroundPixels } = modelContract;
  if (session.inputMetadata.length !== 1) {
    throw contractError(
      `expected exactly one input "${input.name}", found ${session.inputMetadata.length}: ${session.inputMetadata.map((v) => v.name).join(', ')}`,
    );
  }
  const batchAndChannels = { 0: 1, 3: 3 };
  checkTensor(
    find(session.inputMetadata, input.name, 'input'),
    input.type,
    [input.rank],
    batchAndChannels,
    imageSizeAxes,
  );
  checkTensor(
    find(session.outputMetadata, inverted.name, 'output'),
    inverted.type,
    [inverted.rank],
    batchAndChannels,
    imageSizeAxes,
  );
  checkTensor(
    find(session.outputMetadata, foregroundPixels.name, 'output'),
    foregroundPixels.type,
    foregroundPixels.ranks,
    {},
  );
}

/**
 * Whether a v2 manifest says exactly what contract v1 says (names, types, layout, dynamic size, no
 * normalisation, `inverted` and `foreground_pixels`): such a model takes the v1 path, bands and all.
 */
export function isContractV1Shaped(manifest: ModelManifestV2): boolean {
  return (
    isDeepStrictEqual(manifest.input, contractV1AsV2.input) &&
    isDeepStrictEqual(manifest.outputs, contractV1AsV2.outputs)
  );
}

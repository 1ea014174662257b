import type { ModelManifest, ModelManifestV2 } from '@photo-pipeline/shared/contracts';
import { PermanentError } from '@photo-pipeline/shared/errors';
import type { InferenceSession } from 'onnxruntime-node';
import { checkModelContract } from './model-contract.ts';

type Session = Pick<InferenceSession, 'inputMetadata' | 'outputMetadata'>;
type Metadata = readonly InferenceSession.ValueMetadata[];
type TensorMetadata = InferenceSession.TensorValueMetadata;
type Dim = TensorMetadata['shape'][number];

/** MODEL_CONTRACT_VIOLATION naming the manifest field that the graph contradicts. */
function fieldError(field: string, problem: string): PermanentError {
  return new PermanentError(
    'MODEL_CONTRACT_VIOLATION',
    `model contract violated: manifest field ${field}: ${problem}`,
    { details: { fields: [field] } },
  );
}

const shapeText = (shape: readonly Dim[]) => `[${shape.join(', ')}]`;

function tensorNamed(metadata: Metadata, name: string, field: string, where: string): TensorMetadata {
  const found = metadata.find((value) => value.name === name);
  if (!found) {
    const names = metadata.map((value) => `"${value.name}"`).join(', ') || 'none';
    throw fieldError(field, `the graph has no ${where} named "${name}" (it has: ${names})`);
  }
  if (!found.isTensor) throw fieldError(field, `the graph's ${where} "${name}" is not a tensor`);
  return found;
}

/** Height and width axes of the input for its layout; the channel axis holds 3. */
function inputAxes(layout: 'NHWC' | 'NCHW') {
  return layout === 'NHWC' ? { height: 1, width: 2, channels: 3 } : { channels: 1, height: 2, width: 3 };
}

function checkInput(manifest: ModelManifestV2, session: Session): void {
  const { input } = manifest;
  if (session.inputMetadata.length !== 1) {
    const names = session.inputMetadata.map((value) => `"${value.name}"`).join(', ');
    throw fieldError(
      'input.name',
      `the graph has ${session.inputMetadata.length} inputs (${names}); the processor feeds exactly one`,
    );
  }
  const tensor = tensorNamed(session.inputMetadata, input.name, 'input.name', 'input');
  if (tensor.type !== input.type) {
    throw fieldError(
      'input.type',
      `says ${input.type}, but the graph's input "${input.name}" is ${tensor.type}`,
    );
  }
  const { shape } = tensor;
  if (shape.length === 0) return;
  if (shape.length !== 4) {
    throw fieldError(
      'input.layout',
      `says ${input.layout}, but "${input.name}" has rank ${shape.length} ${shapeText(shape)}`,
    );
  }
  const batch = shape[0];
  if (typeof batch === 'number' && batch !== 1) {
    throw fieldError(
      'input.name',
      `"${input.name}" has a fixed batch of ${batch}; the processor sends one image at a time`,
    );
  }
  const axes = inputAxes(input.layout);
  const channels = shape[axes.channels];
  if (typeof channels === 'number' && channels !== 3) {
    throw fieldError(
      'input.layout',
      `says ${input.layout} (3 channels on axis ${axes.channels}), but "${input.name}" is ${shapeText(shape)}`,
    );
  }
  checkSpatialSize(manifest, 'input.size', `"${input.name}" is ${shapeText(shape)}`, [
    shape[axes.height],
    shape[axes.width],
  ]);
}

/** A dynamic manifest needs free height and width in the graph; a fixed one needs them to agree. */
function checkSpatialSize(
  manifest: ModelManifestV2,
  field: string,
  found: string,
  [height, width]: readonly (Dim | undefined)[],
): void {
  const { size } = manifest.input;
  if (size.kind === 'dynamic') {
    if (typeof height === 'number' || typeof width === 'number') {
      throw fieldError(field, `says dynamic, but ${found}: the graph fixes the size, so declare it fixed`);
    }
    return;
  }
  if (
    (typeof height === 'number' && height !== size.height) ||
    (typeof width === 'number' && width !== size.width)
  ) {
    throw fieldError(field, `says fixed ${size.width}x${size.height} (width x height), but ${found}`);
  }
}

/** The mask's height and width axes: [1,1,H,W], [1,H,W,1], [1,H,W] or [H,W]. */
function maskSpatialAxes(shape: readonly Dim[]): readonly [number, number] | undefined {
  const isOne = (dim: Dim | undefined) => dim === 1 || typeof dim === 'string';
  if (shape.length === 2) return [0, 1];
  if (shape.length === 3 && isOne(shape[0])) return [1, 2];
  if (shape.length === 4 && isOne(shape[0]) && shape[1] === 1) return [2, 3];
  if (shape.length === 4 && isOne(shape[0]) && shape[3] === 1) return [1, 2];
  return undefined;
}

function checkOutputs(manifest: ModelManifestV2, session: Session): void {
  const { outputs } = manifest;
  const output = (name: string, field: string) => tensorNamed(session.outputMetadata, name, field, 'output');
  if (outputs.inverted) {
    const field = 'outputs.inverted';
    const tensor = output(outputs.inverted.name, `${field}.name`);
    if (tensor.type !== 'uint8')
      throw fieldError(field, `"${tensor.name}" is ${tensor.type}; an inverted image is uint8`);
    const { shape } = tensor;
    if (shape.length > 0 && (shape.length !== 4 || shape[3] !== 3)) {
      throw fieldError(
        field,
        `"${tensor.name}" is ${shapeText(shape)}; an inverted image is uint8 [1, height, width, 3]`,
      );
    }
    if (shape.length > 0)
      checkSpatialSize(manifest, field, `"${tensor.name}" is ${shapeText(shape)}`, [shape[1], shape[2]]);
  }
  if (outputs.foregroundPixels) {
    const field = 'outputs.foregroundPixels';
    const tensor = output(outputs.foregroundPixels.name, `${field}.name`);
    if (tensor.type !== 'int64')
      throw fieldError(field, `"${tensor.name}" is ${tensor.type}; a count is int64`);
    if (tensor.shape.length > 1) {
      throw fieldError(
        field,
        `"${tensor.name}" is ${shapeText(tensor.shape)}; a count is one int64 (rank 0 or 1)`,
      );
    }
  }
  if (outputs.mask) {
    const field = 'outputs.mask';
    const tensor = output(outputs.mask.name, `${field}.name`);
    if (tensor.type !== 'float32') {
      throw fieldError(field, `"${tensor.name}" is ${tensor.type}; a ${outputs.mask.values} mask is float32`);
    }
    const { shape } = tensor;
    if (shape.length === 0) return;
    const axes = maskSpatialAxes(shape);
    if (!axes) {
      throw fieldError(
        field,
        `"${tensor.name}" is ${shapeText(shape)}; a mask is [1, 1, H, W], [1, H, W, 1], [1, H, W] or [H, W]`,
      );
    }
    checkSpatialSize(manifest, field, `the mask "${tensor.name}" is ${shapeText(shape)}`, [
      shape[axes[0]],
      shape[axes[1]],
    ]);
  }
}

/**
 * Refuses, with MODEL_CONTRACT_VIOLATION naming the manifest field, a graph that disagrees with its v2
 * manifest: input name, element type, rank, layout (3 channels where it says), batch 1, size (dynamic
 * or the declared fixed size); each declared output's name, type and shape.
 */
export function checkManifestContract(manifest: ModelManifestV2, session: Session): void {
  checkInput(manifest, session);
  checkOutputs(manifest, session);
}

/** Contract v1 (no manifest) or v2 (a manifest), checked against the loaded graph. */
export function checkDeclaredContract(manifest: ModelManifest, session: Session): void {
  if (manifest.contractVersion === 1) checkModelContract(session);
  else checkManifestContract(manifest, session);
}

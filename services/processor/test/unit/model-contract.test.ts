import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ort from 'onnxruntime-node';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultModelSpec } from '../../scripts/default-model.ts';
import { encodeModel, type ModelSpec } from '../../scripts/onnx-encoder.ts';
import { loadModel } from '../../src/adapters/onnx/inference-model.ts';
import { defaultModelPath } from '../../src/core/model/model-path.ts';

// The CUDA test below asks for a provider this machine lacks on purpose; onnxruntime would print its native
// load error ("Failed to load library ...providers_shared.so") into a passing run. The refusal is asserted.
ort.env.logLevel = 'fatal';

const dir = mkdtempSync(join(tmpdir(), 'processor-model-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function writeModel(name: string, spec: ModelSpec | Uint8Array): string {
  const path = join(dir, `${name}.onnx`);
  writeFileSync(path, spec instanceof Uint8Array ? spec : encodeModel(spec));
  return path;
}

/** A model that only renames its input: otherwise valid ONNX, so only the contract check can refuse it. */
function withRenamedInput(spec: ModelSpec, name: string): ModelSpec {
  return {
    ...spec,
    inputs: spec.inputs.map((input) => ({ ...input, name })),
    nodes: spec.nodes.map((node) => ({
      ...node,
      inputs: node.inputs.map((input) => (input === 'image' ? name : input)),
    })),
  };
}

const load = (path: string, provider: 'auto' | 'cpu' | 'cuda' = 'cpu') =>
  loadModel({ path, provider, gpuVisible: false, intraOpThreads: 1 });

describe('the model contract check at start', () => {
  it('refuses a model whose input has another name, naming what it found', async () => {
    const path = writeModel('renamed', withRenamedInput(defaultModelSpec, 'pixels'));
    await expect(load(path)).rejects.toMatchObject({
      code: 'MODEL_CONTRACT_VIOLATION',
      message: expect.stringMatching(/no input named "image" \(it has: pixels\)/),
    });
  });

  it('refuses a model whose count output is not int64', async () => {
    const spec: ModelSpec = {
      ...defaultModelSpec,
      outputs: defaultModelSpec.outputs.map((output) =>
        output.name === 'foreground_pixels' ? { ...output, elementType: 'int32' as const } : output,
      ),
      nodes: defaultModelSpec.nodes.map((node) =>
        node.name === 'row_sums_int64' ? { ...node, attributes: { to: { kind: 'int', value: 6 } } } : node,
      ),
    };
    const path = writeModel('int32-count', spec);
    await expect(load(path)).rejects.toMatchObject({
      code: 'MODEL_CONTRACT_VIOLATION',
      message: expect.stringMatching(/foreground_pixels.*int32, expected int64/),
    });
  });

  it('refuses a model fixed to one image size, naming the axis', async () => {
    const fixed: ModelSpec = {
      ...defaultModelSpec,
      inputs: defaultModelSpec.inputs.map((input) => ({ ...input, dims: [1, 480, 'width', 3] })),
    };
    await expect(load(writeModel('fixed-height', fixed))).rejects.toMatchObject({
      code: 'MODEL_CONTRACT_VIOLATION',
      message: expect.stringMatching(/"image" has a fixed height of 480 \(axis 1\)/),
    });
  });

  it('refuses a file that is not an ONNX model', async () => {
    const path = writeModel('garbage', new TextEncoder().encode('not a model'));
    await expect(load(path)).rejects.toMatchObject({ code: 'MODEL_CONTRACT_VIOLATION' });
  });

  it('refuses a model path that does not exist', async () => {
    await expect(load(join(dir, 'missing.onnx'))).rejects.toMatchObject({
      code: 'MODEL_CONTRACT_VIOLATION',
      message: expect.stringContaining('missing.onnx'),
    });
  });

  it('makes EXECUTION_PROVIDER=cuda without a usable CUDA provider a start-up error', async () => {
    await expect(load(defaultModelPath, 'cuda')).rejects.toMatchObject({
      code: 'EXECUTION_PROVIDER_UNAVAILABLE',
      message: expect.stringContaining('EXECUTION_PROVIDER=cuda'),
    });
  });
});

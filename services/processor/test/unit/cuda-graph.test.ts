import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildDefaultCudaModel } from '../../scripts/build-model.ts';
import { defaultCudaModelSpec, defaultModelSpec } from '../../scripts/default-model.ts';
import { type ModelSpec, type OnnxElementTypeName, onnxElementType } from '../../scripts/onnx-encoder.ts';
import { type LoadModelOptions, loadModel } from '../../src/adapters/onnx/inference-model.ts';
import { defaultCudaModelPath, defaultModelPath } from '../../src/core/model/model-path.ts';
import cudaKernels from '../fixtures/cuda-kernels.json' with { type: 'json' };
import { expectedForeground, randomRgb } from '../support/random-rgb.ts';

interface KernelEntry {
  readonly opsets: readonly number[];
  readonly types: readonly string[];
}
const kernels: Readonly<Record<string, KernelEntry>> = cudaKernels.kernels;

const typeNames = new Map<number, OnnxElementTypeName>(
  Object.entries(onnxElementType).map(([name, code]) => [code, name as OnnxElementTypeName]),
);

/** Each node with the element type of its data input (and, for a Cast, of its output). */
function typedNodes(spec: ModelSpec): { op: string; name: string; types: string[] }[] {
  const types = new Map<string, string>();
  for (const value of [...spec.inputs, ...spec.initializers]) types.set(value.name, value.elementType);
  return spec.nodes.map((node) => {
    const input = types.get(node.inputs[0] ?? '') ?? 'unknown';
    const to = node.attributes?.to;
    const output =
      node.opType === 'Cast' && to?.kind === 'int'
        ? (typeNames.get(to.value) ?? 'unknown')
        : node.opType === 'Shape'
          ? 'int64'
          : node.opType === 'MatMulInteger'
            ? 'int32'
            : input;
    for (const name of node.outputs) types.set(name, output);
    return { op: node.opType, name: node.name, types: node.opType === 'Cast' ? [input, output] : [input] };
  });
}

/** The nodes of a graph that have no CUDA kernel for their op, opset and type, per the checked-in list. */
function nodesWithoutCudaKernel(spec: ModelSpec): string[] {
  return typedNodes(spec)
    .filter(({ op, types }) => {
      const entry = kernels[op];
      const [from = Number.POSITIVE_INFINITY, to = 0] = entry?.opsets ?? [];
      const inRange = spec.opsetVersion >= from && spec.opsetVersion <= to;
      return !entry || !inRange || !types.every((type) => entry.types.includes(type));
    })
    .map(({ op, name, types }) => `${name} (${op} ${types.join('->')})`);
}

function loadOnCpu(path: LoadModelOptions['path'], options: Partial<LoadModelOptions> = {}) {
  return loadModel({ path, provider: 'cpu', gpuVisible: false, intraOpThreads: 1, ...options });
}

describe("the built-in model's CUDA graph", () => {
  it('has a CUDA kernel for every node (op, opset and type), per onnxruntime OperatorKernels.md', () => {
    expect(nodesWithoutCudaKernel(defaultCudaModelSpec)).toEqual([]);
  });

  it('is needed: the CPU graph has nodes CUDA cannot run (BitwiseNot, uint8 MatMulInteger)', () => {
    const outside = nodesWithoutCudaKernel(defaultModelSpec);
    expect(outside).toContain('invert (BitwiseNot uint8)');
    expect(outside).toContain('row_sums (MatMulInteger uint8)');
  });

  it('is reproduced byte for byte by the build script', () => {
    expect(Buffer.compare(Buffer.from(buildDefaultCudaModel()), readFileSync(defaultCudaModelPath))).toBe(0);
  });

  it('inverts and counts exactly as the CPU graph does, whole, in bands and in place', async () => {
    const cpuGraph = await loadOnCpu(defaultModelPath);
    const cudaGraph = await loadOnCpu(defaultCudaModelPath);
    const cudaBanded = await loadOnCpu(defaultCudaModelPath, { tileRows: 16, inPlace: true });
    try {
      for (const [width, height, seed] of [
        [1, 1, 5],
        [123, 77, 42],
        [640, 480, 9],
      ] as const) {
        const rgb = randomRgb(width, height, seed);
        const expected = await cpuGraph.run(Uint8Array.from(rgb), width, height);
        const whole = await cudaGraph.run(Uint8Array.from(rgb), width, height);
        const banded = await cudaBanded.run(Uint8Array.from(rgb), width, height);
        expect(whole.foregroundPx).toBe(expectedForeground(rgb));
        expect(banded.foregroundPx).toBe(expected.foregroundPx);
        expect(Buffer.compare(whole.inverted, expected.inverted)).toBe(0);
        expect(Buffer.compare(banded.inverted, expected.inverted)).toBe(0);
      }
    } finally {
      await Promise.all([cpuGraph.release(), cudaGraph.release(), cudaBanded.release()]);
    }
  });

  it('is loaded only for CUDA: the CPU provider takes the CPU file of a per-provider pair', async () => {
    const missing = '/nonexistent/inverse-area-cuda.onnx';
    const model = await loadOnCpu({ cpu: defaultModelPath, cuda: missing });
    try {
      expect(model.path).toBe(defaultModelPath);
    } finally {
      await model.release();
    }
    await expect(loadOnCpu({ cpu: missing, cuda: defaultModelPath })).rejects.toMatchObject({
      code: 'MODEL_CONTRACT_VIOLATION',
      message: expect.stringContaining(missing),
    });
  });
});

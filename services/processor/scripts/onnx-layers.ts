import type { InitializerSpec, NodeSpec } from './onnx-encoder.ts';

/** Building blocks of the ONNX graphs the scripts make from code: seeded weights and common layers. */

/** A seeded generator of numbers in [-1, 1) (mulberry32), so every build has the same weights. */
export function noise(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) / 2 ** 32) * 2 - 1;
  };
}

export function floats(name: string, values: readonly number[], dims: readonly number[]): InitializerSpec {
  const view = new DataView(new ArrayBuffer(values.length * 4));
  for (const [index, value] of values.entries()) view.setFloat32(index * 4, value, true);
  return { name, elementType: 'float', dims, raw: new Uint8Array(view.buffer) };
}

export interface ConvLayer {
  readonly name: string;
  readonly input: string;
  readonly inChannels: number;
  readonly outChannels: number;
  readonly kernel: 1 | 3;
  /** Every weight is gain / (inChannels x kernel x kernel) x (1 ± 20 %). */
  readonly gain: number;
  readonly bias: number;
  readonly seed: number;
}

export function conv(layer: ConvLayer): { initializers: InitializerSpec[]; node: NodeSpec } {
  const random = noise(layer.seed);
  const taps = layer.inChannels * layer.kernel * layer.kernel;
  const weights = Array.from(
    { length: layer.outChannels * taps },
    () => (layer.gain / taps) * (1 + 0.2 * random()),
  );
  const biases = Array.from({ length: layer.outChannels }, () => layer.bias + 0.02 * random());
  const pad = (layer.kernel - 1) / 2;
  return {
    initializers: [
      floats(`${layer.name}_w`, weights, [layer.outChannels, layer.inChannels, layer.kernel, layer.kernel]),
      floats(`${layer.name}_b`, biases, [layer.outChannels]),
    ],
    node: {
      opType: 'Conv',
      name: layer.name,
      inputs: [layer.input, `${layer.name}_w`, `${layer.name}_b`],
      outputs: [layer.name],
      attributes: {
        kernel_shape: { kind: 'ints', value: [layer.kernel, layer.kernel] },
        pads: { kind: 'ints', value: [pad, pad, pad, pad] },
      },
    },
  };
}

export const relu = (input: string): NodeSpec => ({
  opType: 'Relu',
  name: `${input}_relu`,
  inputs: [input],
  outputs: [`${input}_relu`],
});

export const maxPool = (input: string, name: string): NodeSpec => ({
  opType: 'MaxPool',
  name,
  inputs: [input],
  outputs: [name],
  attributes: {
    kernel_shape: { kind: 'ints', value: [2, 2] },
    strides: { kind: 'ints', value: [2, 2] },
  },
});

/** Height and width of `like`, then a bilinear Resize of `input` to them (any size, odd ones too). */
export function resizeLike(input: string, like: string, name: string): NodeSpec[] {
  return [
    {
      opType: 'Shape',
      name: `${name}_size`,
      inputs: [like],
      outputs: [`${name}_size`],
      attributes: { start: { kind: 'int', value: 2 } },
    },
    {
      opType: 'Resize',
      name,
      inputs: [input, '', '', `${name}_size`],
      outputs: [name],
      attributes: {
        mode: { kind: 'string', value: 'linear' },
        axes: { kind: 'ints', value: [2, 3] },
      },
    },
  ];
}

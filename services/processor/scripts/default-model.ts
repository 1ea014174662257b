import { int64Bytes, type ModelSpec } from './onnx-encoder.ts';

/**
 * The default model, "inverse-area": colour inversion and a foreground pixel count, in uint8 throughout.
 *
 * Contract (what the processor checks at start, and what any MODEL_PATH model must honour):
 *   input  `image`             uint8 [1, height, width, 3]  RGB, dynamic height and width
 *   output `inverted`          uint8 [1, height, width, 3]  255 - x per channel
 *   output `foreground_pixels` int64 [1]                     the mask's pixel count
 *
 * Mask rule: a pixel is foreground when every channel of the inverted image is at least 128, i.e. when
 * the original pixel is dark in all three channels (each at most 127).
 *
 * Why these ops: a float graph (Cast, Sub, MatMul) makes float copies of the whole image and costs about
 * twice sharp's own time. Here no intermediate is larger than one byte per pixel:
 *   BitwiseNot gives 255 - x on uint8 directly; ReduceMin over the channel axis gives each pixel's
 *   darkest inverted channel (uint8 [1,H,W]); Clip to [127, 128] makes it 128 for a foreground pixel
 *   and 127 otherwise; a uint8 MatMulInteger against a column of ones, with 127 as the mask's zero
 *   point, sums (value - 127) along each row into int32 [H,1], which is each row's foreground count (no
 *   int32 copy of the mask); the row sums are added in int64.
 * Clip with a zero point replaced BitwiseAnd with 128 and a division by 128 (version 1): onnxruntime's
 * CPU BitwiseAnd against a scalar is not vectorised (~2.3 ms per 2 MP, Clip ~0.1 ms). Same counts.
 */
export const defaultModelName = 'inverse-area';
export const defaultModelVersion = 2;

const scalarUint8 = (name: string, value: number) =>
  ({ name, elementType: 'uint8', dims: [], raw: new Uint8Array([value]) }) as const;
const int64s = (name: string, values: number[], dims: number[] = [values.length]) =>
  ({ name, elementType: 'int64', dims, raw: int64Bytes(values) }) as const;

export const defaultModelSpec: ModelSpec = {
  irVersion: 8,
  opsetVersion: 18,
  producerName: 'photo-pipeline',
  producerVersion: '1',
  modelVersion: defaultModelVersion,
  doc:
    'inverse-area: inverts a uint8 RGB image [1,H,W,3] and counts foreground pixels ' +
    '(every inverted channel >= 128, i.e. the original pixel is dark in all channels).',
  graphName: defaultModelName,
  inputs: [
    { name: 'image', elementType: 'uint8', dims: [1, 'height', 'width', 3], doc: 'RGB image, 8 bits' },
  ],
  outputs: [
    { name: 'inverted', elementType: 'uint8', dims: [1, 'height', 'width', 3], doc: '255 - x per channel' },
    { name: 'foreground_pixels', elementType: 'int64', dims: [1], doc: 'pixels in the foreground mask' },
  ],
  initializers: [
    int64s('channel_axis', [3]),
    scalarUint8('top_bit', 128),
    int64s('height_width_start', [1]),
    int64s('width_start', [2]),
    int64s('height_width_end', [3]),
    int64s('first_axis', [0]),
    int64s('one', [1]),
    { name: 'one_uint8', elementType: 'uint8', dims: [1, 1], raw: new Uint8Array([1]) },
    scalarUint8('below_top_bit', 127),
    int64s('count_shape', [1]),
  ],
  nodes: [
    { opType: 'BitwiseNot', name: 'invert', inputs: ['image'], outputs: ['inverted'] },
    {
      opType: 'ReduceMin',
      name: 'darkest_channel',
      inputs: ['inverted', 'channel_axis'],
      outputs: ['darkest'],
      attributes: { keepdims: { kind: 'int', value: 0 } },
    },
    { opType: 'Clip', name: 'mask', inputs: ['darkest', 'below_top_bit', 'top_bit'], outputs: ['mask'] },
    { opType: 'Shape', name: 'image_shape', inputs: ['image'], outputs: ['image_shape'] },
    {
      opType: 'Slice',
      name: 'height_width',
      inputs: ['image_shape', 'height_width_start', 'height_width_end', 'first_axis'],
      outputs: ['height_width'],
    },
    { opType: 'Reshape', name: 'mask_rows', inputs: ['mask', 'height_width'], outputs: ['mask_rows'] },
    {
      opType: 'Slice',
      name: 'width',
      inputs: ['image_shape', 'width_start', 'height_width_end', 'first_axis'],
      outputs: ['width'],
    },
    {
      opType: 'Concat',
      name: 'ones_shape',
      inputs: ['width', 'one'],
      outputs: ['ones_shape'],
      attributes: { axis: { kind: 'int', value: 0 } },
    },
    { opType: 'Expand', name: 'ones', inputs: ['one_uint8', 'ones_shape'], outputs: ['ones'] },
    {
      opType: 'MatMulInteger',
      name: 'row_sums',
      inputs: ['mask_rows', 'ones', 'below_top_bit'],
      outputs: ['row_sums'],
    },
    {
      opType: 'Cast',
      name: 'row_sums_int64',
      inputs: ['row_sums'],
      outputs: ['row_sums_int64'],
      attributes: { to: { kind: 'int', value: 7 } },
    },
    {
      opType: 'ReduceSum',
      name: 'mask_sum',
      inputs: ['row_sums_int64'],
      outputs: ['mask_sum'],
      attributes: { keepdims: { kind: 'int', value: 0 } },
    },
    {
      opType: 'Reshape',
      name: 'foreground_pixels',
      inputs: ['mask_sum', 'count_shape'],
      outputs: ['foreground_pixels'],
    },
  ],
  metadata: {
    name: defaultModelName,
    version: String(defaultModelVersion),
    maskRule: 'min(inverted) >= 128',
  },
};

/**
 * The same model for onnxruntime's CUDA provider, where every node has a CUDA kernel (checked against
 * onnxruntime's docs/OperatorKernels.md by test/unit/cuda-placement.test.ts): the CPU graph's BitwiseNot
 * and uint8 MatMulInteger have none, so under CUDA they ran on the CPU with copies in and out.
 *   Sub(255, x) on uint8 inverts; ReduceMin and Clip as above; Sub(mask, 127) makes the mask 0 or 1;
 *   Cast to int32 and ReduceSum count it (CUDA's ReduceSum takes no uint8), Cast to int64 and Reshape
 *   give the count's contract shape. No shape arithmetic (Shape, Slice, Concat), which onnxruntime
 *   keeps on the CPU.
 * Same inputs, outputs, mask rule and metadata as the CPU graph, so rows from either are alike (the
 * model digest tells the files apart). On the CPU this graph is slower (the int32 copy of the mask),
 * which is why the CPU keeps its own.
 */
export const defaultCudaModelSpec: ModelSpec = {
  ...defaultModelSpec,
  initializers: [
    scalarUint8('full_scale', 255),
    scalarUint8('below_top_bit', 127),
    scalarUint8('top_bit', 128),
    int64s('channel_axis', [3]),
    int64s('count_shape', [1]),
  ],
  nodes: [
    { opType: 'Sub', name: 'invert', inputs: ['full_scale', 'image'], outputs: ['inverted'] },
    {
      opType: 'ReduceMin',
      name: 'darkest_channel',
      inputs: ['inverted', 'channel_axis'],
      outputs: ['darkest'],
      attributes: { keepdims: { kind: 'int', value: 0 } },
    },
    {
      opType: 'Clip',
      name: 'mask_top_bit',
      inputs: ['darkest', 'below_top_bit', 'top_bit'],
      outputs: ['mask_top_bit'],
    },
    { opType: 'Sub', name: 'mask', inputs: ['mask_top_bit', 'below_top_bit'], outputs: ['mask'] },
    {
      opType: 'Cast',
      name: 'mask_int32',
      inputs: ['mask'],
      outputs: ['mask_int32'],
      attributes: { to: { kind: 'int', value: 6 } },
    },
    {
      opType: 'ReduceSum',
      name: 'mask_sum',
      inputs: ['mask_int32'],
      outputs: ['mask_sum'],
      attributes: { keepdims: { kind: 'int', value: 0 } },
    },
    {
      opType: 'Cast',
      name: 'mask_sum_int64',
      inputs: ['mask_sum'],
      outputs: ['mask_sum_int64'],
      attributes: { to: { kind: 'int', value: 7 } },
    },
    {
      opType: 'Reshape',
      name: 'foreground_pixels',
      inputs: ['mask_sum_int64', 'count_shape'],
      outputs: ['foreground_pixels'],
    },
  ],
};

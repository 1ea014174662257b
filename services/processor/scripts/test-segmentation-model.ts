import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type ModelManifestV2, modelManifestMetadataKey } from '@photo-pipeline/shared/contracts';
import { encodeModel, type InitializerSpec, type ModelSpec, type NodeSpec } from './onnx-encoder.ts';
import { conv, floats, maxPool, relu, resizeLike } from './onnx-layers.ts';

/**
 * "darkness-net": a small segmentation network built from code for the tests of contract v2, with the
 * architecture of the real ones (U2-Net, ISNet): float32 NCHW in, normalised by a mean and std; an
 * encoder (Conv + Relu, MaxPool, twice, then a wider Conv) and a decoder (Resize back up to each
 * encoder size, Conv + Relu), a 1x1 head and a Sigmoid giving a [1, 1, H, W] mask of probabilities.
 *
 * Its weights are deterministic: each Conv averages its inputs (the first one negated), scaled by
 * 1 ± 20 % from a seeded generator, so the channels and taps differ and a swapped channel or a shifted
 * pixel changes the output. What it computes: how dark a neighbourhood is. A region darker than about
 * 57 of 255 (in the ImageNet-normalised input) is foreground, a light one is not, and edges are soft.
 * About 65,000 weights, ~260 kB.
 */
export const testModelName = 'darkness-net';

export interface TestModelOptions {
  /** A fixed square input side, or `dynamic` height and width. */
  readonly size: number | 'dynamic';
  readonly resize?: 'stretch' | 'letterbox';
  /** `probability` ends in a Sigmoid; `logit` leaves it out. */
  readonly maskValues?: 'probability' | 'logit';
  /** Also output `inverted` (uint8 [1, H, W, 3], 255 - x), computed from the input; dynamic size only. */
  readonly invertedOutput?: boolean;
  /** Put the manifest into the model's metadata_props (`photo-pipeline.manifest`) too. */
  readonly embedManifest?: boolean;
}

export const testModelNormalisation = {
  scale: 1 / 255,
  mean: [0.485, 0.456, 0.406],
  std: [0.229, 0.224, 0.225],
} as const;

/** `inverted` = 255 - pixel, undoing the normalisation per channel; +0.5 so the Cast's truncation rounds. */
function invertedBranch(): { initializers: InitializerSpec[]; nodes: NodeSpec[] } {
  const { mean, std } = testModelNormalisation;
  return {
    initializers: [
      floats(
        'inverted_scale',
        std.map((s) => -255 * s),
        [1, 3, 1, 1],
      ),
      floats(
        'inverted_offset',
        mean.map((m) => 255 * (1 - m) + 0.5),
        [1, 3, 1, 1],
      ),
    ],
    nodes: [
      {
        opType: 'Mul',
        name: 'inverted_scaled',
        inputs: ['image', 'inverted_scale'],
        outputs: ['inverted_scaled'],
      },
      {
        opType: 'Add',
        name: 'inverted_shifted',
        inputs: ['inverted_scaled', 'inverted_offset'],
        outputs: ['inverted_shifted'],
      },
      {
        opType: 'Cast',
        name: 'inverted_bytes',
        inputs: ['inverted_shifted'],
        outputs: ['inverted_bytes'],
        attributes: { to: { kind: 'int', value: 2 } },
      },
      {
        opType: 'Transpose',
        name: 'inverted',
        inputs: ['inverted_bytes'],
        outputs: ['inverted'],
        attributes: { perm: { kind: 'ints', value: [0, 2, 3, 1] } },
      },
    ],
  };
}

/** The manifest that describes the network built with `options`. */
export function testModelManifest(options: TestModelOptions): ModelManifestV2 {
  const maskValues = options.maskValues ?? 'probability';
  return {
    contractVersion: 2,
    name: testModelName,
    version: '1',
    input: {
      name: 'image',
      layout: 'NCHW',
      type: 'float32',
      size:
        options.size === 'dynamic'
          ? { kind: 'dynamic' }
          : {
              kind: 'fixed',
              width: options.size,
              height: options.size,
              resize: options.resize ?? 'letterbox',
              padding: [255, 255, 255],
            },
      scale: testModelNormalisation.scale,
      mean: [...testModelNormalisation.mean],
      std: [...testModelNormalisation.std],
    },
    outputs: {
      mask: { name: maskValues === 'logit' ? 'logits' : 'mask', values: maskValues, threshold: 0.5 },
      ...(options.invertedOutput ? { inverted: { name: 'inverted' } } : {}),
    },
  };
}

/** The network's ONNX description. */
export function testModelSpec(options: TestModelOptions): ModelSpec {
  const side = options.size === 'dynamic' ? ['height', 'width'] : [options.size, options.size];
  const layers = [
    conv({
      name: 'enc1',
      input: 'image',
      inChannels: 3,
      outChannels: 16,
      kernel: 3,
      gain: -1,
      bias: 0,
      seed: 1,
    }),
    conv({
      name: 'enc2',
      input: 'pool1',
      inChannels: 16,
      outChannels: 32,
      kernel: 3,
      gain: 1,
      bias: 0,
      seed: 2,
    }),
    conv({
      name: 'mid',
      input: 'pool2',
      inChannels: 32,
      outChannels: 96,
      kernel: 3,
      gain: 1,
      bias: 0,
      seed: 3,
    }),
    conv({
      name: 'dec2',
      input: 'up2',
      inChannels: 96,
      outChannels: 32,
      kernel: 3,
      gain: 1,
      bias: 0,
      seed: 4,
    }),
    conv({
      name: 'dec1',
      input: 'up1',
      inChannels: 32,
      outChannels: 16,
      kernel: 3,
      gain: 1,
      bias: 0,
      seed: 5,
    }),
    conv({
      name: 'head',
      input: 'dec1_relu',
      inChannels: 16,
      outChannels: 1,
      kernel: 1,
      gain: 6,
      bias: -6,
      seed: 6,
    }),
  ];
  const [enc1, enc2, mid, dec2, dec1, head] = layers;
  if (!enc1 || !enc2 || !mid || !dec2 || !dec1 || !head) throw new Error('layers missing');
  const logit = options.maskValues === 'logit';
  const inverted = options.invertedOutput ? invertedBranch() : { initializers: [], nodes: [] };
  const nodes: NodeSpec[] = [
    enc1.node,
    relu('enc1'),
    maxPool('enc1_relu', 'pool1'),
    enc2.node,
    relu('enc2'),
    maxPool('enc2_relu', 'pool2'),
    mid.node,
    relu('mid'),
    ...resizeLike('mid_relu', 'enc2_relu', 'up2'),
    dec2.node,
    relu('dec2'),
    ...resizeLike('dec2_relu', 'image', 'up1'),
    dec1.node,
    relu('dec1'),
    { ...head.node, outputs: [logit ? 'logits' : 'head'] },
    ...(logit ? [] : [{ opType: 'Sigmoid', name: 'mask', inputs: ['head'], outputs: ['mask'] }]),
    ...inverted.nodes,
  ];
  const manifest = testModelManifest(options);
  return {
    irVersion: 8,
    opsetVersion: 18,
    producerName: 'photo-pipeline',
    producerVersion: '1',
    modelVersion: 1,
    doc: 'darkness-net: a test segmentation network (float32 NCHW in, a foreground mask out)',
    graphName: testModelName,
    inputs: [{ name: 'image', elementType: 'float', dims: [1, 3, ...side], doc: 'normalised RGB, NCHW' }],
    outputs: [
      {
        name: logit ? 'logits' : 'mask',
        elementType: 'float',
        dims: [1, 1, ...side],
        doc: logit ? 'foreground logits' : 'foreground probabilities',
      },
      ...(options.invertedOutput
        ? [{ name: 'inverted', elementType: 'uint8' as const, dims: [1, ...side, 3], doc: '255 - x, NHWC' }]
        : []),
    ],
    initializers: [...layers.flatMap((layer) => layer.initializers), ...inverted.initializers],
    nodes,
    metadata: options.embedManifest ? { [modelManifestMetadataKey]: JSON.stringify(manifest) } : {},
  };
}

/** The network's ONNX bytes. */
export function buildTestModel(options: TestModelOptions): Uint8Array {
  return encodeModel(testModelSpec(options));
}

/**
 * Writes `<folder>/darkness-net.onnx` and its manifest beside it (fixed 128 x 128 input, letterbox), a
 * MODEL_PATH to try contract v2 with: `pnpm model:test-network <folder>`.
 */
function main(argv: readonly string[]): number {
  const [folder] = argv;
  if (folder === undefined || argv.length > 1) {
    process.stderr.write('usage: test-segmentation-model.ts <folder>\n');
    return 2;
  }
  const options = { size: 128, resize: 'letterbox' } as const;
  // pnpm runs this in the package folder; INIT_CWD is where the user typed the command.
  const dir = resolve(process.env.INIT_CWD ?? process.cwd(), folder);
  mkdirSync(dir, { recursive: true });
  const modelPath = join(dir, `${testModelName}.onnx`);
  writeFileSync(modelPath, buildTestModel(options));
  writeFileSync(
    join(dir, `${testModelName}.manifest.json`),
    `${JSON.stringify(testModelManifest(options), null, 2)}\n`,
  );
  process.stdout.write(`wrote ${modelPath} and ${testModelName}.manifest.json beside it\n`);
  return 0;
}

if (import.meta.main) process.exitCode = main(process.argv.slice(2));

import { z } from 'zod';
import { PermanentError } from '../errors/app-error.ts';

/**
 * The model manifest: what an ONNX model needs from the processor and what it gives back. It sits
 * beside the model as `<model>.manifest.json`, or inside the ONNX file as the metadata_props entry
 * `photo-pipeline.manifest` (the file beside wins). A model with neither follows contract v1.
 *
 * Contract v1 (no manifest, or `{"contractVersion": 1}`): input `image` uint8 [1,H,W,3] RGB with
 * dynamic H and W; outputs `inverted` (uint8, same shape) and `foreground_pixels` (int64).
 * Contract v2 declares the input's layout, element type, size (dynamic, or fixed with a resize rule)
 * and normalisation, and the outputs: an optional `inverted` image and either a foreground `mask` or a
 * `foregroundPixels` count.
 */
export const modelManifestMetadataKey = 'photo-pipeline.manifest';
export const modelManifestFileSuffix = '.manifest.json';

const tensorName = z.string().min(1).max(256);
const channelTriple = z.tuple([z.number(), z.number(), z.number()]);
const byteTriple = z.tuple([
  z.number().int().min(0).max(255),
  z.number().int().min(0).max(255),
  z.number().int().min(0).max(255),
]);
const modelSide = z.number().int().min(1).max(8192);

const dynamicSizeSchema = z.object({ kind: z.literal('dynamic') }).strict();

const fixedSizeSchema = z
  .object({
    kind: z.literal('fixed'),
    width: modelSide,
    height: modelSide,
    /** stretch: resized to width x height, aspect ratio lost; letterbox: fitted inside and padded. */
    resize: z.enum(['stretch', 'letterbox']),
    /** RGB of the letterbox padding, before normalisation. */
    padding: byteTriple.default([0, 0, 0]),
  })
  .strict();

const inputSchema = z
  .object({
    name: tensorName,
    layout: z.enum(['NHWC', 'NCHW']),
    type: z.enum(['uint8', 'float32']),
    size: z.discriminatedUnion('kind', [dynamicSizeSchema, fixedSizeSchema]),
    /** float32 inputs: each channel value v (0-255) becomes (v * scale - mean[c]) / std[c]. */
    scale: z.number().positive().default(1),
    mean: channelTriple.default([0, 0, 0]),
    std: z.tuple([z.number().positive(), z.number().positive(), z.number().positive()]).default([1, 1, 1]),
  })
  .strict()
  .superRefine((input, context) => {
    if (input.type !== 'uint8') return;
    const identity =
      input.scale === 1 &&
      input.mean.every((value) => value === 0) &&
      input.std.every((value) => value === 1);
    if (!identity) {
      context.addIssue({
        code: 'custom',
        path: ['type'],
        message: 'a uint8 input takes the pixels as they are: leave scale, mean and std out',
      });
    }
  });

const maskSchema = z
  .object({
    name: tensorName,
    /** probability: values in 0-1; logit: a sigmoid makes them probabilities first. */
    values: z.enum(['probability', 'logit']),
    /** A pixel is foreground when its probability is at least this. */
    threshold: z.number().gt(0).lt(1).default(0.5),
  })
  .strict();

const outputsSchema = z
  .object({
    inverted: z.object({ name: tensorName }).strict().optional(),
    mask: maskSchema.optional(),
    foregroundPixels: z.object({ name: tensorName }).strict().optional(),
  })
  .strict()
  .superRefine((outputs, context) => {
    if ((outputs.mask === undefined) === (outputs.foregroundPixels === undefined)) {
      context.addIssue({
        code: 'custom',
        path: ['mask'],
        message: 'declare exactly one of mask and foregroundPixels',
      });
    }
    const names = [outputs.inverted?.name, outputs.mask?.name, outputs.foregroundPixels?.name].filter(
      (name) => name !== undefined,
    );
    if (new Set(names).size !== names.length) {
      context.addIssue({ code: 'custom', path: [], message: 'each output needs its own name' });
    }
  });

const identityShape = {
  /** Shown in result rows; the model file's name (without .onnx) when left out. */
  name: z.string().min(1).max(128).optional(),
  /** Shown in result rows; the first 12 hex digits of the file's SHA-256 when left out. */
  version: z.string().min(1).max(64).optional(),
};

export const modelManifestV1Schema = z.object({ contractVersion: z.literal(1), ...identityShape }).strict();

export const modelManifestV2Schema = z
  .object({ contractVersion: z.literal(2), ...identityShape, input: inputSchema, outputs: outputsSchema })
  .strict()
  .superRefine((manifest, context) => {
    if (manifest.input.size.kind === 'dynamic') return;
    // Both are per pixel of the image the model saw; at a fixed size that is not the photo.
    if (manifest.outputs.inverted) {
      context.addIssue({
        code: 'custom',
        path: ['outputs', 'inverted'],
        message: 'an inverted image output needs input.size dynamic (the photo at its own size)',
      });
    }
    if (manifest.outputs.foregroundPixels) {
      context.addIssue({
        code: 'custom',
        path: ['outputs', 'foregroundPixels'],
        message:
          'a foregroundPixels count needs input.size dynamic; a fixed-size model declares a mask, which is scaled back to the photo',
      });
    }
  });

export const modelManifestSchema = z.discriminatedUnion('contractVersion', [
  modelManifestV1Schema,
  modelManifestV2Schema,
]);

export type ModelManifestV1 = z.output<typeof modelManifestV1Schema>;
export type ModelManifestV2 = z.output<typeof modelManifestV2Schema>;
export type ModelManifest = z.output<typeof modelManifestSchema>;
export type ModelInputSpec = ModelManifestV2['input'];
export type ModelOutputsSpec = ModelManifestV2['outputs'];
export type ModelMaskSpec = NonNullable<ModelOutputsSpec['mask']>;

/** Contract v1 written as a v2 manifest: what a model without a manifest must be. */
export const contractV1AsV2: ModelManifestV2 = {
  contractVersion: 2,
  input: {
    name: 'image',
    layout: 'NHWC',
    type: 'uint8',
    size: { kind: 'dynamic' },
    scale: 1,
    mean: [0, 0, 0],
    std: [1, 1, 1],
  },
  outputs: { inverted: { name: 'inverted' }, foregroundPixels: { name: 'foreground_pixels' } },
};

/**
 * Parses a manifest (already JSON-decoded). Anything else is MODEL_CONTRACT_VIOLATION naming each bad
 * field, e.g. `input.std.1: Too small` (`details.fields` lists the paths).
 */
export function parseModelManifest(json: unknown, source: string): ModelManifest {
  const parsed = modelManifestSchema.safeParse(json);
  if (parsed.success) return parsed.data;
  const fields = parsed.error.issues.map((issue) => issue.path.join('.') || '(manifest)');
  const problems = parsed.error.issues.map((issue, index) => `${fields[index]}: ${issue.message}`);
  throw new PermanentError(
    'MODEL_CONTRACT_VIOLATION',
    `the model manifest ${source} is invalid: ${problems.join('; ')}`,
    { details: { fields } },
  );
}

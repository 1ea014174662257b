import { readFileSync } from 'node:fs';
import { contractV1AsV2, type ModelManifestV2 } from '@photo-pipeline/shared/contracts';
import { afterAll, describe, expect, it } from 'vitest';
import {
  buildTestModel,
  type TestModelOptions,
  testModelManifest,
} from '../../scripts/test-segmentation-model.ts';
import { defaultModelPath } from '../../src/core/model/model-path.ts';
import { createModelFolder, loadOnCpu } from '../support/model-files.ts';
import { gradientRgb } from '../support/test-images.ts';

const folder = createModelFolder();
afterAll(() => folder.remove());

const small: TestModelOptions = { size: 32 };
const builtIn = readFileSync(defaultModelPath);

/** The test network's manifest with `change` applied to it. */
function manifestWith(change: (manifest: ModelManifestV2) => unknown, options = small): unknown {
  return change(structuredClone(testModelManifest(options)));
}

describe('contract v1 and the built-in model', () => {
  it('loads the built-in model, which has no manifest, as contract v1 named by its file', async () => {
    // Act
    const model = await loadOnCpu(defaultModelPath);
    try {
      // Assess
      expect(model.contract).toEqual({ version: 1, manifest: { kind: 'none' } });
      expect(model.name).toBe('inverse-area');
      expect(model.version).toBe(model.digest);
      expect(model.digest).toMatch(/^[0-9a-f]{12}$/);
    } finally {
      await model.release();
    }
  });

  it('runs the built-in model under an equivalent v2 manifest on the v1 path, with the same results', async () => {
    // Prepare
    const path = folder.write('built-in-v2', builtIn, {
      ...contractV1AsV2,
      name: 'inverse-area',
      version: '2',
    });
    const rgb = gradientRgb(97, 31);
    const plain = await loadOnCpu(defaultModelPath);
    // Act
    const declared = await loadOnCpu(path, { tileRows: 16 });
    try {
      const expected = await plain.run(Uint8Array.from(rgb), 97, 31);
      const actual = await declared.run(Uint8Array.from(rgb), 97, 31);
      // Assess
      expect(declared.contract).toEqual({ version: 2, manifest: { kind: 'file', path: expect.any(String) } });
      expect([declared.name, declared.version]).toEqual(['inverse-area', '2']);
      expect(declared.tileRows).toBe(16);
      expect(actual.foregroundPx).toBe(expected.foregroundPx);
      expect(Buffer.compare(actual.inverted, expected.inverted)).toBe(0);
      expect(actual.mask).toBeUndefined();
    } finally {
      await plain.release();
      await declared.release();
    }
  });

  it('accepts a contractVersion 1 manifest, which names the model and changes nothing else', async () => {
    const path = folder.write('built-in-v1', builtIn, { contractVersion: 1, name: 'inverter', version: '7' });
    const model = await loadOnCpu(path);
    try {
      expect(model.contract.version).toBe(1);
      expect([model.name, model.version]).toEqual(['inverter', '7']);
    } finally {
      await model.release();
    }
  });
});

describe('where a v2 manifest is found', () => {
  it('reads the manifest beside the model (<name>.manifest.json)', async () => {
    const path = folder.write('beside', buildTestModel(small), testModelManifest(small));
    const model = await loadOnCpu(path);
    try {
      expect(model.contract).toEqual({
        version: 2,
        manifest: { kind: 'file', path: path.replace(/\.onnx$/, '.manifest.json') },
      });
      expect([model.name, model.version]).toEqual(['darkness-net', '1']);
    } finally {
      await model.release();
    }
  });

  it('reads the manifest from the ONNX metadata_props when none is beside the model', async () => {
    const path = folder.write('embedded', buildTestModel({ ...small, embedManifest: true }));
    const model = await loadOnCpu(path);
    try {
      expect(model.contract).toEqual({
        version: 2,
        manifest: { kind: 'metadata', key: 'photo-pipeline.manifest' },
      });
    } finally {
      await model.release();
    }
  });

  it('prefers the manifest beside the model to the embedded one', async () => {
    const path = folder.write(
      'both',
      buildTestModel({ ...small, embedManifest: true }),
      manifestWith((manifest) => ({ ...manifest, name: 'from-the-file' })),
    );
    const model = await loadOnCpu(path);
    try {
      expect(model.name).toBe('from-the-file');
    } finally {
      await model.release();
    }
  });
});

describe('a manifest and a graph that disagree, refused at start', () => {
  const fixed = buildTestModel(small);
  const withInverted = buildTestModel({ size: 'dynamic', invertedOutput: true });
  it.each([
    [
      'another input name',
      fixed,
      manifestWith((m) => ({ ...m, input: { ...m.input, name: 'pixels' } })),
      'input.name',
      'no input named "pixels" (it has: "image")',
    ],
    [
      'another element type',
      fixed,
      manifestWith((m) => ({
        ...m,
        input: { name: 'image', layout: 'NCHW', type: 'uint8', size: m.input.size },
      })),
      'input.type',
      'says uint8, but the graph\'s input "image" is float32',
    ],
    [
      'another layout',
      fixed,
      manifestWith((m) => ({ ...m, input: { ...m.input, layout: 'NHWC' } })),
      'input.layout',
      'says NHWC (3 channels on axis 3), but "image" is [1, 3, 32, 32]',
    ],
    [
      'another fixed size',
      fixed,
      manifestWith((m) => ({
        ...m,
        input: { ...m.input, size: { ...m.input.size, width: 64, height: 64 } },
      })),
      'input.size',
      'says fixed 64x64',
    ],
    [
      'a dynamic size for a fixed graph',
      fixed,
      manifestWith((m) => ({ ...m, input: { ...m.input, size: { kind: 'dynamic' } } })),
      'input.size',
      'the graph fixes the size, so declare it fixed',
    ],
    [
      'a mask output the graph does not have',
      fixed,
      manifestWith((m) => ({ ...m, outputs: { mask: { name: 'probabilities', values: 'probability' } } })),
      'outputs.mask.name',
      'no output named "probabilities" (it has: "mask")',
    ],
    [
      'a mask that is not float32',
      withInverted,
      manifestWith((m) => ({ ...m, outputs: { mask: { name: 'inverted', values: 'probability' } } }), {
        size: 'dynamic',
      }),
      'outputs.mask',
      '"inverted" is uint8; a probability mask is float32',
    ],
    [
      'an inverted image that is not uint8',
      withInverted,
      manifestWith(
        (m) => ({
          ...m,
          outputs: { mask: { name: 'inverted', values: 'probability' }, inverted: { name: 'mask' } },
        }),
        { size: 'dynamic' },
      ),
      'outputs.inverted',
      '"mask" is float32; an inverted image is uint8',
    ],
  ])('refuses %s, naming the field', async (_case, model, manifest, field, problem) => {
    // Prepare
    const path = folder.write(`mismatch-${field}`, model, manifest);
    // Act / Assess
    const refusal = loadOnCpu(path);
    await expect(refusal).rejects.toMatchObject({
      code: 'MODEL_CONTRACT_VIOLATION',
      message: expect.stringContaining(`manifest field ${field}: `),
      details: { fields: [field] },
    });
    await expect(refusal).rejects.toMatchObject({ message: expect.stringContaining(problem) });
  });

  it('refuses a manifest that is not JSON, naming the file', async () => {
    const path = folder.write('not-json', buildTestModel(small), '{"contractVersion": 2,');
    await expect(loadOnCpu(path)).rejects.toMatchObject({
      code: 'MODEL_CONTRACT_VIOLATION',
      message: expect.stringMatching(/not-json\.manifest\.json is not JSON/),
    });
  });

  it('refuses a manifest that breaks the schema, naming the field', async () => {
    const path = folder.write(
      'bad-schema',
      buildTestModel(small),
      manifestWith((m) => ({ ...m, input: { ...m.input, std: [0.2, 0.2, -1] } })),
    );
    await expect(loadOnCpu(path)).rejects.toMatchObject({
      code: 'MODEL_CONTRACT_VIOLATION',
      message: expect.stringContaining('input.std.2: '),
      details: { fields: ['input.std.2'] },
    });
  });
});

import { describe, expect, it } from 'vitest';
import { contractV1AsV2, parseModelManifest } from '../../src/contracts/model-manifest.ts';
import { PermanentError } from '../../src/errors/app-error.ts';

/** A U2-Netp-like manifest: float32 NCHW at 320 x 320, ImageNet normalisation, a probability mask. */
function u2netpManifest(overrides: Record<string, unknown> = {}) {
  return {
    contractVersion: 2,
    name: 'u2netp',
    version: '2020',
    input: {
      name: 'input.1',
      layout: 'NCHW',
      type: 'float32',
      size: { kind: 'fixed', width: 320, height: 320, resize: 'stretch' },
      scale: 1 / 255,
      mean: [0.485, 0.456, 0.406],
      std: [0.229, 0.224, 0.225],
    },
    outputs: { mask: { name: '1959', values: 'probability' } },
    ...overrides,
  };
}

function refusal(json: unknown): PermanentError {
  try {
    parseModelManifest(json, 'test.manifest.json');
  } catch (error) {
    if (error instanceof PermanentError) return error;
    throw error;
  }
  throw new Error('expected the manifest to be refused');
}

describe('the model manifest schema', () => {
  it('reads a v2 manifest and fills in the defaults (threshold 0.5, black letterbox padding)', () => {
    // Prepare
    const json = u2netpManifest();
    // Act
    const manifest = parseModelManifest(json, 'u2netp.manifest.json');
    // Assess
    expect(manifest.contractVersion).toBe(2);
    if (manifest.contractVersion !== 2) return;
    expect(manifest.outputs.mask?.threshold).toBe(0.5);
    expect(manifest.input.size).toEqual({
      kind: 'fixed',
      width: 320,
      height: 320,
      resize: 'stretch',
      padding: [0, 0, 0],
    });
  });

  it('reads a v1 manifest, which only names the model', () => {
    expect(parseModelManifest({ contractVersion: 1, name: 'mine' }, 'm')).toEqual({
      contractVersion: 1,
      name: 'mine',
    });
  });

  it('describes contract v1 as a v2 manifest that passes its own schema', () => {
    expect(parseModelManifest(contractV1AsV2, 'v1')).toEqual(contractV1AsV2);
  });

  it.each([
    ['an unknown contract version', { ...u2netpManifest(), contractVersion: 3 }, 'contractVersion'],
    [
      'a std of 0',
      u2netpManifest({ input: { ...u2netpManifest().input, std: [0.2, 0, 0.2] } }),
      'input.std.1',
    ],
    [
      'a misspelt field',
      u2netpManifest({ outputs: { mask: { name: 'm', values: 'probability', treshold: 0.4 } } }),
      'outputs.mask',
    ],
    [
      'a uint8 input with a mean',
      u2netpManifest({ input: { ...u2netpManifest().input, type: 'uint8' } }),
      'input.type',
    ],
    ['neither a mask nor a count', u2netpManifest({ outputs: {} }), 'outputs.mask'],
    [
      'a count at a fixed size',
      u2netpManifest({ outputs: { foregroundPixels: { name: 'n' } } }),
      'outputs.foregroundPixels',
    ],
    [
      'an inverted image at a fixed size',
      u2netpManifest({ outputs: { mask: { name: 'm', values: 'logit' }, inverted: { name: 'i' } } }),
      'outputs.inverted',
    ],
    [
      'a threshold outside 0-1',
      u2netpManifest({ outputs: { mask: { name: 'm', values: 'probability', threshold: 1.5 } } }),
      'outputs.mask.threshold',
    ],
  ])('refuses %s as MODEL_CONTRACT_VIOLATION naming the field', (_case, json, field) => {
    // Act
    const error = refusal(json);
    // Assess
    expect(error.code).toBe('MODEL_CONTRACT_VIOLATION');
    expect(error.message).toContain('test.manifest.json');
    expect(error.details?.fields).toContain(field);
    expect(error.message).toContain(`${field}:`);
  });
});

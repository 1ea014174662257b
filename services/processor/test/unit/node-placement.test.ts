import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { afterAll, describe, expect, it } from 'vitest';
import { testModelManifest, testModelSpec } from '../../scripts/test-segmentation-model.ts';
import { nodesOutside, placementsFromProfile } from '../../src/adapters/onnx/node-placement.ts';
import { createModelFolder, loadOnCpu } from '../support/model-files.ts';

const folder = createModelFolder();
afterAll(() => folder.remove());

const profileFolders = () => readdirSync(tmpdir()).filter((name) => name.startsWith('processor-placement-'));

describe('which nodes run where', () => {
  it('reads each node and its provider from an onnxruntime profile, ignoring other events', () => {
    // Prepare: the shape of what endProfiling writes, including a session event and a fence event.
    const profile = [
      { cat: 'Session', name: 'model_loading_array', args: {} },
      {
        cat: 'Node',
        name: 'invert_kernel_time',
        args: { op_name: 'BitwiseNot', provider: 'CPUExecutionProvider' },
      },
      { cat: 'Node', name: 'invert_fence_before', args: { op_name: 'BitwiseNot' } },
      {
        cat: 'Node',
        name: 'darkest_kernel_time',
        args: { op_name: 'ReduceMin', provider: 'CUDAExecutionProvider' },
      },
      {
        cat: 'Node',
        name: 'invert_kernel_time',
        args: { op_name: 'BitwiseNot', provider: 'CPUExecutionProvider' },
      },
    ];
    // Act
    const placements = placementsFromProfile(profile);
    // Assess
    expect(placements).toEqual([
      { node: 'invert', op: 'BitwiseNot', provider: 'CPUExecutionProvider' },
      { node: 'darkest', op: 'ReduceMin', provider: 'CUDAExecutionProvider' },
    ]);
    expect(nodesOutside(placements, 'cuda')).toEqual([placements[0]]);
    expect(nodesOutside(placements, 'cpu')).toEqual([placements[1]]);
  });

  it('profiles a warm-up run at load when asked, and finds every node of the network on the CPU', async () => {
    // Prepare
    const spec = testModelSpec({ size: 32 });
    const path = folder.write('placement', spec, testModelManifest({ size: 32 }));
    const before = profileFolders();
    // Act
    const model = await loadOnCpu(path, { probePlacement: true });
    try {
      // Assess
      expect(model.placement).toEqual({ kind: 'profiled', nodes: expect.any(Number), outside: [] });
      const profiled = model.placement?.kind === 'profiled' ? model.placement.nodes : 0;
      expect(profiled).toBeGreaterThanOrEqual(spec.nodes.filter((node) => node.opType === 'Conv').length);
      expect(profileFolders()).toEqual(before);
    } finally {
      await model.release();
    }
  });

  it('does not profile on the CPU unless asked', async () => {
    const model = await loadOnCpu(
      folder.write('no-probe', testModelSpec({ size: 32 }), testModelManifest({ size: 32 })),
    );
    try {
      expect(model.placement).toBeUndefined();
    } finally {
      await model.release();
    }
  });
});

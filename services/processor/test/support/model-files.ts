import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeModel, type ModelSpec } from '../../scripts/onnx-encoder.ts';
import { type LoadModelOptions, loadModel } from '../../src/adapters/onnx/inference-model.ts';

export interface ModelFolder {
  readonly dir: string;
  /** Writes `<name>.onnx`, and `<name>.manifest.json` beside it when a manifest is given; returns the model path. */
  write(name: string, model: ModelSpec | Uint8Array, manifest?: unknown): string;
  remove(): void;
}

/** A temporary folder for test models and their manifests. */
export function createModelFolder(): ModelFolder {
  const dir = mkdtempSync(join(tmpdir(), 'processor-models-'));
  return {
    dir,
    write(name, model, manifest) {
      const path = join(dir, `${name}.onnx`);
      writeFileSync(path, model instanceof Uint8Array ? model : encodeModel(model));
      if (manifest !== undefined) {
        const text = typeof manifest === 'string' ? manifest : JSON.stringify(manifest);
        writeFileSync(join(dir, `${name}.manifest.json`), text);
      }
      return path;
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Loads a model on the CPU with one thread, as the unit tests run it. */
export function loadOnCpu(path: string, options: Partial<LoadModelOptions> = {}) {
  return loadModel({ path, provider: 'cpu', gpuVisible: false, intraOpThreads: 1, ...options });
}

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { defaultCudaModelPath, defaultModelPath } from '../src/core/model/model-path.ts';
import { defaultCudaModelSpec, defaultModelSpec } from './default-model.ts';
import { encodeModel } from './onnx-encoder.ts';

/** The default model's bytes (the CPU graph), built from code. */
export function buildDefaultModel(): Uint8Array {
  return encodeModel(defaultModelSpec);
}

/** The default model's CUDA graph, built from code. */
export function buildDefaultCudaModel(): Uint8Array {
  return encodeModel(defaultCudaModelSpec);
}

const builtModels = [
  { path: defaultModelPath, build: buildDefaultModel },
  { path: defaultCudaModelPath, build: buildDefaultCudaModel },
] as const;

/**
 * `pnpm model:build` writes the default model's two graphs (CPU and CUDA) to services/processor/model/;
 * `--check` only reports whether the committed files match what the code builds (exit 1 when not).
 */
function main(argv: readonly string[]): number {
  let exitCode = 0;
  for (const { path, build } of builtModels) {
    const bytes = build();
    if (argv.includes('--check')) {
      const same = Buffer.compare(readFileSync(path), bytes) === 0;
      process.stdout.write(same ? `${path} is up to date\n` : `${path} differs\n`);
      if (!same) exitCode = 1;
      continue;
    }
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, bytes);
    process.stdout.write(`wrote ${path} (${bytes.length} bytes)\n`);
  }
  return exitCode;
}

if (import.meta.main) process.exitCode = main(process.argv.slice(2));

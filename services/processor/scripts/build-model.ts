import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { defaultModelPath } from '../src/model/model-path.ts';
import { defaultModelSpec } from './default-model.ts';
import { encodeModel } from './onnx-encoder.ts';

/** The default model's bytes, built from code. */
export function buildDefaultModel(): Uint8Array {
  return encodeModel(defaultModelSpec);
}

/**
 * `pnpm model:build` writes the default model to services/processor/model/; `--check` only reports
 * whether the committed file matches what the code builds (exit 1 when it does not).
 */
function main(argv: readonly string[]): number {
  const bytes = buildDefaultModel();
  if (argv.includes('--check')) {
    const committed = readFileSync(defaultModelPath);
    const same = Buffer.compare(committed, bytes) === 0;
    process.stdout.write(same ? `${defaultModelPath} is up to date\n` : `${defaultModelPath} differs\n`);
    return same ? 0 : 1;
  }
  mkdirSync(dirname(defaultModelPath), { recursive: true });
  writeFileSync(defaultModelPath, bytes);
  process.stdout.write(`wrote ${defaultModelPath} (${bytes.length} bytes)\n`);
  return 0;
}

if (import.meta.main) process.exitCode = main(process.argv.slice(2));

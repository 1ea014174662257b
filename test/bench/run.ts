// `pnpm bench`: runs every benchmark one after the other (never in parallel: they measure throughput
// and memory on a 2-core machine) and writes the figures to test/bench/results/latest.json.
// Pick some with `pnpm bench upload processing e2e`.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';

type Benchmark = () => Promise<object>;

const benchmarks: Record<string, () => Promise<Benchmark>> = {
  upload: async () => (await import('../../services/api/bench/upload-bench.ts')).runUploadBench,
  processing: async () =>
    (await import('../../services/processor/bench/processing-bench.ts')).runProcessingBench,
  e2e: async () => (await import('./e2e-bench.ts')).runEndToEndBench,
  scale: async () => (await import('./scale-bench.ts')).runScaleBench,
};

const requested = process.argv.slice(2).filter((arg) => !arg.startsWith('-'));
const unknown = requested.filter((name) => !(name in benchmarks));
if (unknown.length > 0) {
  process.stderr.write(
    `unknown benchmark(s): ${unknown.join(', ')}; choose from ${Object.keys(benchmarks).join(', ')}\n`,
  );
  process.exit(2);
}
const selected = requested.length > 0 ? requested : Object.keys(benchmarks);

const results: Record<string, unknown> = {
  machine: {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
  },
  startedAt: new Date().toISOString(),
};
let failed = false;
for (const name of selected) {
  process.stderr.write(`\n=== benchmark: ${name}\n`);
  const started = Date.now();
  try {
    const run = await benchmarks[name]?.();
    results[name] = await run?.();
  } catch (error) {
    failed = true;
    results[name] = { error: error instanceof Error ? error.message : String(error) };
  }
  process.stderr.write(`=== ${name} took ${((Date.now() - started) / 1000).toFixed(1)}s\n`);
  process.stdout.write(`${JSON.stringify({ [name]: results[name] }, null, 2)}\n`);
}

const outDir = fileURLToPath(new URL('./results/', import.meta.url));
mkdirSync(outDir, { recursive: true });
const file = `${outDir}latest.json`;
writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
process.stderr.write(`\nfigures written to ${file}\n`);
process.exitCode = failed ? 1 : 0;

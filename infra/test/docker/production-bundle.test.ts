import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type LocalStack, startLocalStack } from '@photo-pipeline/local-stack';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../src/container-images.ts';
import { runProcess, startProcess, waitFor } from '../support/child-process.ts';
import { baseEnvironment, buildProductionBundles } from '../support/production-bundle.ts';

// The smoke test of what the Dockerfiles copy: the production bundle of each service, built as the images
// build it, started with plain `node` (this Node 24) against an in-memory local stack.
const services = ['@photo-pipeline/api', '@photo-pipeline/processor', '@photo-pipeline/results'] as const;

let outDir: string;
let bundles: Record<string, string>;
let stack: LocalStack;

beforeAll(async () => {
  outDir = mkdtempSync(join(tmpdir(), 'pp-bundles-'));
  [bundles, stack] = await Promise.all([
    buildProductionBundles(repoRoot, services, outDir),
    startLocalStack({ port: 0 }),
  ]);
}, 600_000);

afterAll(async () => {
  await stack?.stop();
  if (outDir) rmSync(outDir, { recursive: true, force: true });
});

const bundleOf = (name: (typeof services)[number]): string => {
  const dir = bundles[name];
  if (!dir) throw new Error(`no bundle for ${name}`);
  return dir;
};

function serviceEnvironment(extra: Record<string, string> = {}): Record<string, string> {
  return { ...baseEnvironment(), ...stack.serviceEnv(), NODE_ENV: 'production', LOG_LEVEL: 'info', ...extra };
}

describe.each(services)('the production bundle of %s', (name) => {
  it('holds shared built to dist and only production dependencies', () => {
    const dir = bundleOf(name);
    expect(existsSync(join(dir, 'node_modules/@photo-pipeline/shared/dist/config/index.js'))).toBe(true);
    const installed = readdirSync(join(dir, 'node_modules/.pnpm'));
    for (const devOnly of [
      'vitest',
      'typescript',
      '@biomejs',
      '@photo-pipeline+local-stack',
      'playwright-core',
    ]) {
      expect(
        installed.filter((entry) => entry.startsWith(devOnly.replace('/', '+'))),
        devOnly,
      ).toEqual([]);
    }
  });
});

describe('the API bundle', () => {
  it('starts with plain node, answers /healthz and /readyz, and exits 0 on SIGTERM', async () => {
    const dir = bundleOf('@photo-pipeline/api');
    expect(existsSync(join(dir, 'dist/entry/server.js'))).toBe(true);
    const api = startProcess(process.execPath, ['dist/entry/server.js'], {
      cwd: dir,
      env: serviceEnvironment({ HOST: '127.0.0.1', PORT: '0' }),
      timeoutMs: 60_000,
    });
    try {
      const port = await waitFor(
        async () => api.output().stdout.match(/"port":(\d+)/)?.[1],
        30_000,
        'the API to log its port',
      );
      for (const path of ['/healthz', '/readyz']) {
        const status = await waitFor(
          async () => (await fetch(`http://127.0.0.1:${port}${path}`)).status,
          15_000,
          path,
        );
        expect(status, path).toBe(200);
      }
      api.child.kill('SIGTERM');
      const result = await api.exited;
      expect(result.code, result.stderr).toBe(0);
    } finally {
      api.child.kill('SIGKILL');
    }
  });
});

describe('the processor bundle', () => {
  it('loads its default model on CPU and exits 0 when the queue stays empty, trimmed to linux-x64 as the images trim it', async () => {
    const dir = bundleOf('@photo-pipeline/processor');
    const trim = await runProcess('sh', [join(repoRoot, 'services/processor/scripts/trim-bundle.sh'), dir], {
      cwd: repoRoot,
      env: baseEnvironment(),
      timeoutMs: 60_000,
    });
    expect(trim.code, trim.stderr).toBe(0);
    expect(readdirSync(join(dir, 'node_modules/koffi/build/koffi'))).toEqual(['linux_x64']);
    expect(readdirSync(join(dir, 'node_modules/onnxruntime-node/bin/napi-v6'))).toEqual(['linux']);
    expect(existsSync(join(dir, 'dist/entry/main.js'))).toBe(true);
    expect(readdirSync(join(dir, 'model')).some((file) => file.endsWith('.onnx'))).toBe(true);
    const result = await runProcess(process.execPath, ['dist/entry/main.js'], {
      cwd: dir,
      env: serviceEnvironment({ EXECUTION_PROVIDER: 'cpu', IDLE_EXIT_SECONDS: '1' }),
      timeoutMs: 90_000,
    });
    expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
    const logs = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(logs).toContainEqual(
      expect.objectContaining({
        executionProvider: 'cpu',
        model: expect.objectContaining({ name: 'inverse-area' }),
        // libjpeg-turbo's prebuilt library and its FFI made it into the bundle, and load from there.
        jpegCodec: { library: 'libjpeg-turbo', path: expect.stringContaining(dir) },
      }),
    );
    expect(logs.at(-1)).toMatchObject({ msg: 'processor exiting', reason: 'idle' });
  });
});

describe('the results bundle', () => {
  it('prints its help and exits 0', async () => {
    const dir = bundleOf('@photo-pipeline/results');
    const result = await runProcess(process.execPath, ['dist/entry/cli.js', '--help'], {
      cwd: dir,
      env: serviceEnvironment(),
      timeoutMs: 30_000,
    });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('get');
  });

  it('exits 3 for a get of an unknown image id', async () => {
    const dir = bundleOf('@photo-pipeline/results');
    const result = await runProcess(
      process.execPath,
      ['dist/entry/cli.js', 'get', '01JAAAAAAAAAAAAAAAAAAAAAAA'],
      {
        cwd: dir,
        env: serviceEnvironment(),
        timeoutMs: 30_000,
      },
    );
    expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(3);
  });
});

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { repoRoot } from '../../src/container-images.ts';
import { apiContainerPort } from '../../src/service-environment.ts';
import {
  argumentsOf,
  baseImageOf,
  copiesOf,
  envOf,
  execFormOf,
  instructionsOf,
  parseDockerfile,
} from '../support/dockerfile.ts';
import { acceptsValue, knownVariables, type ServiceName } from '../support/env-contract.ts';

interface ImageSpec {
  readonly image: string;
  readonly service: ServiceName;
  readonly workspace: string;
  /** The compiled entrypoint the image runs, relative to the bundle. */
  readonly entrypoint: string;
}

const images: readonly ImageSpec[] = [
  { image: 'api', service: 'api', workspace: 'services/api', entrypoint: 'dist/entry/server.js' },
  {
    image: 'processor',
    service: 'processor',
    workspace: 'services/processor',
    entrypoint: 'dist/entry/main.js',
  },
  {
    image: 'processor-gpu',
    service: 'processor',
    workspace: 'services/processor',
    entrypoint: 'dist/entry/main.js',
  },
  { image: 'results', service: 'results', workspace: 'services/results', entrypoint: 'dist/entry/cli.js' },
];

const readJson = (path: string) => JSON.parse(readFileSync(join(repoRoot, path), 'utf8'));
const packageName = (spec: ImageSpec): string => readJson(`${spec.workspace}/package.json`).name;

describe.each(images)('docker/$image.Dockerfile', (spec) => {
  const dockerfile = parseDockerfile(spec.image);

  it('runs as a non-root user in the final stage', () => {
    const users = instructionsOf(dockerfile.final, 'USER').map(argumentsOf);
    expect(users.length, 'the final stage sets USER').toBeGreaterThan(0);
    expect(['root', '0', '0:0']).not.toContain(users.at(-1)?.trim());
  });

  it('uses Node 24 everywhere', () => {
    const nodeImages = dockerfile.stages
      .map((stage) => baseImageOf(dockerfile, stage))
      .filter((image) => image.startsWith('node:'));
    expect(nodeImages.length).toBeGreaterThan(0);
    for (const image of nodeImages) expect(image).toMatch(/^node:24[-.]/);
    const finalBase = baseImageOf(dockerfile, dockerfile.final);
    if (!finalBase.startsWith('node:')) {
      // A non-Node base (CUDA) gets the node binary from a Node 24 stage.
      const copies = copiesOf(dockerfile.final);
      expect(copies.some((copy) => /--from=\S+ \/usr\/local\/bin\/node /.test(copy))).toBe(true);
    }
  });

  it('builds shared and the service, then copies exactly the pnpm deploy --prod bundle', () => {
    const runs = dockerfile.stages.flatMap((stage) => instructionsOf(stage, 'RUN').map(argumentsOf));
    const name = packageName(spec);
    expect(runs).toContain(`pnpm install --frozen-lockfile --filter "${name}..."`);
    expect(runs).toContain(`pnpm --filter "${name}..." run build`);
    expect(runs).toContain(
      `pnpm --config.inject-workspace-packages=true --filter ${name} deploy --prod /bundle`,
    );
    const copies = copiesOf(dockerfile.final);
    expect(copies).toContain('--from=build /bundle /app');
    expect(instructionsOf(dockerfile.final, 'WORKDIR').map(argumentsOf)).toEqual(['/app']);
  });

  it('runs the compiled entrypoint, which the service builds from src and ships in its package files', () => {
    const command = [
      ...(execFormOf(dockerfile.final, 'ENTRYPOINT') ?? []),
      ...(execFormOf(dockerfile.final, 'CMD') ?? []),
    ];
    expect(command.slice(0, 2)).toEqual(['node', spec.entrypoint]);
    const source = spec.entrypoint.replace(/^dist\//, 'src/').replace(/\.js$/, '.ts');
    expect(existsSync(join(repoRoot, spec.workspace, source)), `${spec.workspace}/${source}`).toBe(true);
    const build = readJson(`${spec.workspace}/tsconfig.build.json`).compilerOptions;
    expect(build).toMatchObject({ rootDir: 'src', outDir: 'dist' });
    const files: string[] | undefined = readJson(`${spec.workspace}/package.json`).files;
    if (files) expect(files).toContain('dist');
    expect(readJson('packages/shared/package.json').files).toContain('dist');
  });

  it('sets only variables the service knows, with values it accepts', () => {
    const known = new Set([
      ...knownVariables(spec.service),
      'NODE_ENV',
      'GLIBC_TUNABLES',
      'NVIDIA_VISIBLE_DEVICES',
      'NVIDIA_DRIVER_CAPABILITIES',
    ]);
    for (const [name, value] of envOf(dockerfile.final)) {
      expect(known.has(name), `${name} is not in the ${spec.service} config`).toBe(true);
      if (knownVariables(spec.service).includes(name))
        expect(acceptsValue(spec.service, name, value), `${name}=${value}`).toBe(true);
    }
    expect(envOf(dockerfile.final).get('NODE_ENV')).toBe('production');
  });

  it('lets malloc back MB-sized buffers with huge pages where it moves them (API, processors), on a glibc that knows the tunable', () => {
    const tunables = envOf(dockerfile.final).get('GLIBC_TUNABLES');
    if (spec.service === 'results') {
      expect(tunables).toBeUndefined();
      return;
    }
    expect(tunables?.split(':')).toContain('glibc.malloc.hugetlb=1');
    // glibc.malloc.hugetlb exists from glibc 2.35: Debian 12 (bookworm) has 2.36, Ubuntu 24.04 has 2.39.
    expect(baseImageOf(dockerfile, dockerfile.final)).toMatch(/bookworm|ubuntu24\.04/);
  });

  it('pins the pnpm version of the repository', () => {
    const pinned = String(readJson('package.json').packageManager).replace(/^pnpm@/, '');
    expect(dockerfile.argDefaults.get('PNPM_VERSION')).toBe(pinned);
  });

  it('has its own .dockerignore that keeps node_modules and build output out of the context', () => {
    const ignore = readFileSync(join(repoRoot, 'docker', `${spec.image}.Dockerfile.dockerignore`), 'utf8');
    expect(ignore).toMatch(/^\*\*\/node_modules$/m);
    expect(ignore).toMatch(/^\*\*\/dist$/m);
    expect(ignore).toMatch(/^\.git$/m);
  });
});

describe.each(images.filter((spec) => spec.service === 'processor'))('docker/$image.Dockerfile', (spec) => {
  it('trims the bundle to linux-x64 binaries right after the deploy, with the script the bundle test runs', () => {
    const dockerfile = parseDockerfile(spec.image);
    const runs = dockerfile.stages.flatMap((stage) => instructionsOf(stage, 'RUN').map(argumentsOf));
    const deploy = runs.findIndex((run) => run.includes(' deploy --prod /bundle'));
    expect(deploy).toBeGreaterThan(-1);
    expect(runs[deploy + 1]).toBe('sh services/processor/scripts/trim-bundle.sh /bundle');
    expect(existsSync(join(repoRoot, 'services/processor/scripts/trim-bundle.sh'))).toBe(true);
  });
});

describe('the API image', () => {
  const dockerfile = parseDockerfile('api');

  it('listens on 0.0.0.0 on the port it exposes, the one the task definition maps', () => {
    const env = envOf(dockerfile.final);
    expect(env.get('HOST')).toBe('0.0.0.0');
    expect(env.get('PORT')).toBe(String(apiContainerPort));
    expect(instructionsOf(dockerfile.final, 'EXPOSE').map(argumentsOf)).toEqual([String(apiContainerPort)]);
  });

  it('checks its health on /healthz', () => {
    expect(instructionsOf(dockerfile.final, 'HEALTHCHECK').map(argumentsOf).join(' ')).toContain('/healthz');
  });
});

describe('the GPU processor image', () => {
  const dockerfile = parseDockerfile('processor-gpu');

  it('runs on a CUDA 12 + cuDNN runtime base', () => {
    expect(baseImageOf(dockerfile, dockerfile.final)).toMatch(/^nvidia\/cuda:12\.[\d.]+-cudnn-runtime-/);
    expect(envOf(dockerfile.final).get('EXECUTION_PROVIDER')).toBe('cuda');
  });

  it("runs onnxruntime-node's blocked install script explicitly for CUDA 12", () => {
    const workspace = parseYaml(readFileSync(join(repoRoot, 'pnpm-workspace.yaml'), 'utf8'));
    expect(workspace.ignoredBuiltDependencies).toContain('onnxruntime-node');
    const runs = dockerfile.stages.flatMap((stage) => instructionsOf(stage, 'RUN').map(argumentsOf));
    expect(
      runs.some((run) =>
        run.includes('ONNXRUNTIME_NODE_INSTALL=cuda12 node node_modules/onnxruntime-node/script/install.js'),
      ),
    ).toBe(true);
  });
});

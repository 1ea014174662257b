import { runProcess } from './child-process.ts';

/** The environment pnpm and node need, nothing else from the test process. */
export function baseEnvironment(): Record<string, string> {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? '/tmp',
    // As in the images: onnxruntime-node's CUDA download stays off (blocked in pnpm-workspace.yaml too).
    ONNXRUNTIME_NODE_INSTALL: 'skip',
    CI: 'true',
  };
  return env;
}

async function pnpm(args: readonly string[], cwd: string, timeoutMs: number): Promise<void> {
  const result = await runProcess('pnpm', args, { cwd, env: baseEnvironment(), timeoutMs });
  if (result.code !== 0) {
    throw new Error(
      `pnpm ${args.join(' ')} exited ${result.code ?? result.signal}:\n${result.stdout}\n${result.stderr}`,
    );
  }
}

/**
 * Does what each Dockerfile's build stage does, on this checkout: build shared and the services (tsc to
 * dist), then `pnpm deploy --prod` (lockfile versions, injected workspace packages) into `<outDir>/<service>`.
 */
export async function buildProductionBundles(
  repoRoot: string,
  packages: readonly string[],
  outDir: string,
): Promise<Record<string, string>> {
  await pnpm([...packages.flatMap((name) => ['--filter', `${name}...`]), 'run', 'build'], repoRoot, 240_000);
  const bundles: Record<string, string> = {};
  for (const name of packages) {
    const dir = `${outDir}/${name.replace(/^@photo-pipeline\//, '')}`;
    // As in the Dockerfiles; --offline because tests have no network (the store holds every package).
    await pnpm(
      ['--config.inject-workspace-packages=true', '--filter', name, 'deploy', '--prod', '--offline', dir],
      repoRoot,
      180_000,
    );
    bundles[name] = dir;
  }
  return bundles;
}

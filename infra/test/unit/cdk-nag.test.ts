import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PolicyValidationPluginReport } from 'aws-cdk-lib';
import cdkNag from 'cdk-nag';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { buildApp } from '../../src/build-app.ts';

/** Runs cdk-nag's AwsSolutions pack on a stack; the findings that nobody acknowledged, as readable lines. */
function unacknowledgedFindings(report: PolicyValidationPluginReport): string[] {
  return report.violations.flatMap((violation) =>
    violation.violatingResources.map((resource) => `${violation.ruleName} at ${resource.constructPath}`),
  );
}

describe('cdk-nag AwsSolutions checks', () => {
  let outdir: string;
  let defaultReport: PolicyValidationPluginReport;

  beforeAll(() => {
    // The default, production-like configuration with images built from the Dockerfiles (asset mode).
    outdir = mkdtempSync(join(tmpdir(), 'pp-infra-nag-'));
    const { app, stack } = buildApp({ outdir, nag: false });
    defaultReport = new cdkNag.AwsSolutionsChecks().validateScope(stack);
    app.synth();
  });

  afterAll(() => {
    rmSync(outdir, { recursive: true, force: true });
  });

  it('pass on the default GPU stack, every accepted finding acknowledged with a reason', () => {
    expect(unacknowledgedFindings(defaultReport)).toEqual([]);
  });

  it('pass on the CPU (Fargate) variant with VPC endpoints, HTTPS and destroyable storage', () => {
    const { stack } = buildApp({
      outdir: join(outdir, 'cpu-variant'),
      nag: false,
      context: {
        imageTag: 'v1',
        processorCompute: 'cpu',
        egress: 'endpoints',
        certificateArn: 'arn:aws:acm:us-east-1:111122223333:certificate/abc',
        removalPolicy: 'destroy',
      },
    });
    expect(unacknowledgedFindings(new cdkNag.AwsSolutionsChecks().validateScope(stack))).toEqual([]);
  });

  it('pass on the GPU stack on ECS Managed Instances', () => {
    const { stack } = buildApp({
      outdir: join(outdir, 'managed-instances-variant'),
      nag: false,
      context: { imageTag: 'v1', gpuCapacity: 'managed-instances' },
    });
    expect(unacknowledgedFindings(new cdkNag.AwsSolutionsChecks().validateScope(stack))).toEqual([]);
  });

  it('synthesizes container images as Docker build contexts only: no Docker needed before deploy', () => {
    const manifest = JSON.parse(readFileSync(join(outdir, 'PhotoPipeline.assets.json'), 'utf8')) as {
      dockerImages: Record<string, { source: { directory: string; dockerFile: string } }>;
    };
    const dockerfiles = Object.values(manifest.dockerImages).map((image) => image.source.dockerFile);
    expect(dockerfiles.sort()).toEqual([
      'docker/api.Dockerfile',
      'docker/processor-gpu.Dockerfile',
      'docker/results.Dockerfile',
    ]);
    for (const image of Object.values(manifest.dockerImages)) {
      const staged = join(outdir, image.source.directory);
      // The staged context holds the sources and the Dockerfile, but no node_modules and not the CDK app.
      expect(readFileSync(join(staged, image.source.dockerFile), 'utf8')).toContain('FROM');
      expect(() => readFileSync(join(staged, 'node_modules', '.modules.yaml'))).toThrow();
      expect(() => readFileSync(join(staged, 'infra', 'src', 'build-app.ts'))).toThrow();
    }
  });

  it('stages everything `pnpm install --frozen-lockfile` needs: every importer manifest and every patch', () => {
    const manifest = JSON.parse(readFileSync(join(outdir, 'PhotoPipeline.assets.json'), 'utf8')) as {
      dockerImages: Record<string, { source: { directory: string } }>;
    };
    const [image] = Object.values(manifest.dockerImages);
    const staged = join(outdir, image?.source.directory ?? 'missing');
    const lockfile = parseYaml(readFileSync(join(staged, 'pnpm-lock.yaml'), 'utf8')) as {
      importers: Record<string, unknown>;
      patchedDependencies?: Record<string, { path: string }>;
    };
    for (const importer of Object.keys(lockfile.importers)) {
      expect(existsSync(join(staged, importer, 'package.json')), `${importer}/package.json`).toBe(true);
    }
    for (const patch of Object.values(lockfile.patchedDependencies ?? {})) {
      expect(existsSync(join(staged, patch.path)), patch.path).toBe(true);
    }
    expect(existsSync(join(staged, 'pnpm-workspace.yaml'))).toBe(true);
    expect(existsSync(join(staged, 'services/processor/model/inverse-area.onnx'))).toBe(true);
    expect(existsSync(join(staged, 'services/processor/model/inverse-area-cuda.onnx'))).toBe(true);
  });
});

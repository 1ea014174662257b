import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { IgnoreMode } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import { Platform } from 'aws-cdk-lib/aws-ecr-assets';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import type { Construct } from 'constructs';

/** The repository root: the build context of every Dockerfile in docker/. */
export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export const imageNames = ['api', 'processor', 'processor-gpu', 'results'] as const;
export type ImageName = (typeof imageNames)[number];

export function dockerfileOf(image: ImageName): string {
  return `docker/${image}.Dockerfile`;
}

/** The patterns of docker/common.dockerignore, which every Dockerfile's own .dockerignore links to. */
export function dockerIgnorePatterns(): string[] {
  return readFileSync(join(repoRoot, 'docker', 'common.dockerignore'), 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0 && !line.startsWith('#'));
}

export interface ImageSource {
  readonly imageTag: string | undefined;
  readonly imageRepositoryPrefix: string;
}

/**
 * An image from the Dockerfile (synth only stages the build context into cdk.out; `cdk deploy` builds and
 * pushes it, which is the only step that needs Docker), or a pushed tag in an existing ECR repository.
 */
export function containerImage(scope: Construct, image: ImageName, source: ImageSource): ecs.ContainerImage {
  if (source.imageTag !== undefined) {
    const repository = ecr.Repository.fromRepositoryName(
      scope,
      `${image}-repository`,
      `${source.imageRepositoryPrefix}/${image}`,
    );
    return ecs.ContainerImage.fromEcrRepository(repository, source.imageTag);
  }
  return ecs.ContainerImage.fromAsset(repoRoot, {
    file: dockerfileOf(image),
    exclude: dockerIgnorePatterns(),
    ignoreMode: IgnoreMode.DOCKER,
    // The task definitions run x86_64; this keeps a deploy from an arm64 laptop producing the right image.
    platform: Platform.LINUX_AMD64,
  });
}

import { join } from 'node:path';
import { DockerImage } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { buildSync } from 'esbuild';
import { repoRoot } from '../container-images.ts';

/**
 * Lambda code bundled at synth by esbuild's API, in this process (offline, no Docker): the handler and
 * the workspace code it imports (the shared scaling decision) in one ES module, `index.mjs`. The AWS SDK
 * stays out: the Node.js runtime provides it.
 */
export function bundledLambdaCode(entry: string): lambda.Code {
  const folder = join(repoRoot, 'infra', 'lambda');
  return lambda.Code.fromAsset(folder, {
    bundling: {
      image: DockerImage.fromRegistry('public.ecr.aws/sam/build-nodejs24.x'),
      local: {
        tryBundle(outputDir) {
          buildSync({
            entryPoints: [join(folder, entry)],
            outfile: join(outputDir, 'index.mjs'),
            bundle: true,
            platform: 'node',
            format: 'esm',
            target: 'node24',
            conditions: ['development'],
            external: ['@aws-sdk/*'],
            // pino and its dependencies are CommonJS: give the ES module a require for them.
            banner: {
              js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
            },
            logLevel: 'error',
          });
          return true;
        },
      },
    },
  });
}

import { defineConfig, type ViteUserConfig } from 'vitest/config';

/**
 * The settings every workspace's vitest config starts from: resolve workspace packages to their
 * TypeScript sources (the `development` export condition) and give integration tests room.
 */
export function workspaceTestConfig(name: string, overrides: ViteUserConfig['test'] = {}): ViteUserConfig {
  return defineConfig({
    resolve: { conditions: ['development'] },
    ssr: { resolve: { conditions: ['development'] } },
    test: {
      name,
      include: ['test/**/*.test.ts'],
      testTimeout: 60_000,
      hookTimeout: 60_000,
      // In-process services use the SDK's default credential chain; the emulators accept any keys.
      env: { AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_EC2_METADATA_DISABLED: 'true' },
      ...overrides,
    },
  });
}

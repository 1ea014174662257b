import { defineConfig } from 'vitest/config';

// One run over every workspace; each project has its own vitest.config.ts (name, timeouts, setup), and the
// test workspace has two: e2e and repo (vitest.repo.config.ts).
export default defineConfig({
  test: {
    projects: [
      'packages/*/vitest.config.ts',
      'services/*/vitest.config.ts',
      '{infra,test}/vitest.config.ts',
      'test/vitest.repo.config.ts',
    ],
    reporters: process.env.CI ? ['default', 'json'] : ['default'],
    outputFile: { json: '.cache/vitest-report.json' },
  },
});

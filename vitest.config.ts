import { defineConfig } from 'vitest/config';

// One run over every workspace; each project has its own vitest.config.ts (name, timeouts, setup).
export default defineConfig({
  test: {
    projects: ['packages/*/vitest.config.ts', 'services/*/vitest.config.ts', '{infra,test}/vitest.config.ts'],
    reporters: process.env.CI ? ['default', 'json'] : ['default'],
    outputFile: { json: '.cache/vitest-report.json' },
  },
});

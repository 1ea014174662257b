import { workspaceTestConfig } from '../vitest.shared.ts';

// The whole pipeline end to end: stack, API process, trigger, processors; one file at a time. The
// repository's own rules (README, layering, workspace graph) are the `repo` project, vitest.repo.config.ts.
export default workspaceTestConfig('e2e', {
  include: ['e2e/**/*.test.ts'],
  testTimeout: 240_000,
  hookTimeout: 120_000,
  fileParallelism: false,
});

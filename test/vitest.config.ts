import { workspaceTestConfig } from '../vitest.shared.ts';

// End-to-end tests start the whole pipeline (stack, API process, trigger, processors): one file at a time.
export default workspaceTestConfig('e2e', {
  include: ['e2e/**/*.test.ts', 'docs/**/*.test.ts'],
  testTimeout: 240_000,
  hookTimeout: 120_000,
  fileParallelism: false,
});

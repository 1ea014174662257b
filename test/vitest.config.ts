import { workspaceTestConfig } from '../vitest.shared.ts';

// Tests that span workspaces: end to end (the whole pipeline: stack, API process, trigger, processors; one
// file at a time), the README (docs/) and the services' layering (architecture/).
export default workspaceTestConfig('e2e', {
  include: ['e2e/**/*.test.ts', 'docs/**/*.test.ts', 'architecture/**/*.test.ts'],
  testTimeout: 240_000,
  hookTimeout: 120_000,
  fileParallelism: false,
});

import { workspaceTestConfig } from '../vitest.shared.ts';

// Rules over the repository's files, no stack: the README names every variable and error code (docs/),
// each service's layering and the workspace graph (architecture/).
export default workspaceTestConfig('repo', {
  include: ['docs/**/*.test.ts', 'architecture/**/*.test.ts'],
});

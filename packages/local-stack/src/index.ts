export type { EmulatedService, OutageMode } from './endpoint-router.ts';
export {
  defaultStackPort,
  type LocalStack,
  type LocalStackOptions,
  localCredentials,
  startLocalStack,
} from './local-stack.ts';
export type { ProvisionedResources, QueueSettings } from './provision-resources.ts';
export { freeLoopbackPort, waitForHealth } from './start/http-readiness.ts';
export { describeStartedPipeline, startStateRecorder } from './start/start-state.ts';
export { type QueueDepth, readQueueDepth } from './trigger/queue-depth.ts';

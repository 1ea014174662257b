export { buildApp } from './build-app.ts';
export { type InfraConfig, parseInfraConfig } from './infra-config.ts';
export { PipelineStack } from './pipeline-stack.ts';
export { stackOutputNames } from './stack-outputs.ts';

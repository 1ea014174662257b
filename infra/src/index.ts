export { buildApp } from './build-app.ts';
export { type InfraConfig, parseInfraConfig } from './infra-config.ts';
export { PipelineStack, stackOutputNames } from './pipeline-stack.ts';

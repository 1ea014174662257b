export { type ApiConfig, apiConfigSchema } from './api-config.ts';
export {
  type AwsEnv,
  awsEnvSchema,
  awsEnvShape,
  imageLimitEnvShape,
  loggingEnvShape,
  resourceEnvShape,
  terminalEnvShape,
} from './common-env.ts';
export {
  booleanFromEnv,
  integerFromEnv,
  listFromEnv,
  logLevelFromEnv,
  urlFromEnv,
} from './env-types.ts';
export { type Environment, loadConfig } from './load-config.ts';
export {
  defaultProcessorConcurrency,
  type ProcessorConfig,
  processorConfigSchema,
} from './processor-config.ts';
export { type ResultsConfig, resultsConfigSchema } from './results-config.ts';

export { type AwsClientOptions, type AwsClients, createAwsClients } from './aws-clients.ts';
export { classifyAwsError, isTransientAwsError } from './classify-aws-error.ts';
export {
  type AwsExportSettings,
  awsExportLine,
  isMissingCredentials,
  localStackDefaults,
  missingCredentialsHint,
} from './credentials-hint.ts';
export { resolveQueueUrl } from './queue-url.ts';

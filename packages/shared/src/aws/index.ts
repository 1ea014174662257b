export { type AwsClientOptions, type AwsClients, createAwsClients } from './aws-clients.ts';
export { type AwsDependency, classifyAwsError, isTransientAwsError } from './classify-aws-error.ts';
export {
  type AwsExportSettings,
  awsExportLine,
  isMissingCredentials,
  localStackDefaults,
  missingCredentialsHint,
} from './credentials-hint.ts';
export { deleteObjects } from './delete-objects.ts';
export { resolveQueueUrl } from './queue-url.ts';

export { type AwsClientOptions, type AwsClients, createAwsClients } from './aws-clients.ts';
export { type AwsDependency, classifyAwsError, isTransientAwsError } from './classify-aws-error.ts';
export {
  type AwsExportSettings,
  awsExportLine,
  isMissingCredentials,
  localStackDefaults,
  missingCredentialsHint,
} from './credentials-hint.ts';
export { lookUpQueueUrl, readQueueAttributes } from './queue-attributes.ts';
export { resolveQueueUrl } from './queue-url.ts';
export {
  bucketExists,
  createBucket,
  deleteObjects,
  getObject,
  getObjectBytes,
  getObjectText,
  isMissingObject,
  isPreconditionFailed,
  type ListedObject,
  listObjects,
  objectExists,
  presignedGetUrl,
  putObject,
} from './s3-objects.ts';

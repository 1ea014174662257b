/** What the embedded local stack answers to by default (`npm start`, `pnpm stack`). */
export const localStackDefaults = {
  endpoint: 'http://127.0.0.1:4566',
  region: 'us-east-1',
  accessKeyId: 'test',
  secretAccessKey: 'test',
} as const;

export interface AwsExportSettings {
  readonly endpoint: string;
  readonly region: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

/** The shell line that points the AWS SDK and CLI (and so every service and tool) at an endpoint. */
export function awsExportLine(settings: AwsExportSettings): string {
  return `export AWS_ENDPOINT_URL=${settings.endpoint} AWS_REGION=${settings.region} AWS_ACCESS_KEY_ID=${settings.accessKeyId} AWS_SECRET_ACCESS_KEY=${settings.secretAccessKey}`;
}

/**
 * What to do when the SDK found no credentials: the usual cause is a terminal where the export line
 * `npm start` prints was never pasted.
 */
export const missingCredentialsHint = `no AWS credentials found. For the local stack, paste the export line \`npm start\` prints (by default: ${awsExportLine(localStackDefaults)}); for AWS, set AWS_PROFILE or run \`aws configure\``;

/** The SDK's own error when no provider in its chain had credentials. */
export function isMissingCredentials(error: unknown): boolean {
  return error instanceof Error && error.name === 'CredentialsProviderError';
}

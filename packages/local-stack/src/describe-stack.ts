import { awsExportLine } from '@photo-pipeline/shared/aws';
import { type LocalStack, localCredentials } from './local-stack.ts';

/** The shell line that points the AWS SDK and CLI (and so the results task) at a running stack. */
export function stackExportLine(stack: LocalStack): string {
  return awsExportLine({ endpoint: stack.endpoint, region: stack.region, ...localCredentials });
}

/** The human-readable banner of a running stack: endpoint, how to point tools at it, resources. */
export function describeStack(stack: LocalStack, dataDir: string | undefined): string {
  const { names } = stack.resources;
  return [
    `local AWS stack ready on ${stack.endpoint} (${dataDir ? `data in ${dataDir}` : 'in memory'})`,
    '',
    '  point any AWS SDK or the AWS CLI at it:',
    `    ${stackExportLine(stack)}`,
    `    aws s3 ls s3://${names.uploadsBucket}`,
    '',
    `  uploads bucket    ${names.uploadsBucket}`,
    `  processed bucket  ${names.processedBucket}`,
    `  jobs queue        ${stack.resources.jobsQueueUrl}`,
    `  dead-letter queue ${stack.resources.deadLetterQueueUrl}`,
    `  results table     ${names.resultsTable}`,
    '',
    '  Ctrl-C stops it.',
    '',
  ].join('\n');
}

import { PermanentError } from '@photo-pipeline/shared/errors';
import { stackOutputNames } from '../stack-outputs.ts';

/** Where and how to run the results task, read from the stack's outputs. */
export interface ResultsTaskTarget {
  readonly clusterArn: string;
  readonly taskDefinitionArn: string;
  readonly containerName: string;
  readonly subnetIds: readonly string[];
  readonly securityGroupId: string;
  readonly logGroupName: string;
  readonly logStreamPrefix: string;
}

export interface StackOutput {
  readonly OutputKey?: string | undefined;
  readonly OutputValue?: string | undefined;
}

export function resultsTaskTargetOf(stackName: string, outputs: readonly StackOutput[]): ResultsTaskTarget {
  const values = new Map(outputs.map((output) => [output.OutputKey, output.OutputValue]));
  const wanted = {
    clusterArn: stackOutputNames.clusterArn,
    taskDefinitionArn: stackOutputNames.resultsTaskDefinitionArn,
    containerName: stackOutputNames.resultsContainerName,
    subnetIds: stackOutputNames.resultsSubnetIds,
    securityGroupId: stackOutputNames.resultsSecurityGroupId,
    logGroupName: stackOutputNames.resultsLogGroupName,
    logStreamPrefix: stackOutputNames.resultsLogStreamPrefix,
  } as const;
  const missing = Object.values(wanted).filter((key) => !values.get(key));
  if (missing.length > 0) {
    throw new PermanentError(
      'NOT_FOUND',
      `stack ${stackName} has no output ${missing.join(', ')}: is it the photo-pipeline stack, deployed with this version?`,
    );
  }
  const value = (key: string) => values.get(key) ?? '';
  return {
    clusterArn: value(wanted.clusterArn),
    taskDefinitionArn: value(wanted.taskDefinitionArn),
    containerName: value(wanted.containerName),
    subnetIds: value(wanted.subnetIds)
      .split(',')
      .filter((id) => id.length > 0),
    securityGroupId: value(wanted.securityGroupId),
    logGroupName: value(wanted.logGroupName),
    logStreamPrefix: value(wanted.logStreamPrefix),
  };
}

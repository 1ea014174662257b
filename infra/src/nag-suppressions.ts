import { CfnElement, type IResource, Stack, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { objectPrefixes } from './object-prefixes.ts';
import type { PipelineStack } from './pipeline-stack.ts';

/**
 * Every cdk-nag AwsSolutions finding we accept, each with its reason, acknowledged through CDK's own
 * Validations API (cdk-nag v3) on the narrowest construct. Wildcard findings are acknowledged one by
 * one, naming the exact resource pattern, so a new wildcard still fails synth and the test suite.
 */
export function addNagSuppressions(stack: PipelineStack): void {
  const ack = (scope: IConstruct, id: string, reason: string) =>
    Validations.of(scope).acknowledge({ id, reason });
  const arnOf = (resource: IResource) => `<${logicalIdOf(resource)}.Arn>`;
  const { uploadsBucket, processedBucket, resultsTable } = stack.storage;
  const objectsReason = 'object keys are generated per image; the statement is scoped to this one bucket';

  ack(
    stack,
    'AwsSolutions-ECS2',
    'container environment holds resource names and settings only; the one secret (API_KEYS) comes from Secrets Manager',
  );
  for (const taskDefinition of [
    stack.api.service.taskDefinition,
    stack.processor.taskDefinition,
    stack.results.taskDefinition,
  ]) {
    if (taskDefinition.executionRole) {
      ack(
        taskDefinition.executionRole,
        'AwsSolutions-IAM5[Resource::*]',
        'ecr:GetAuthorizationToken has no resource-level permissions; image pulls are scoped to the repository',
      );
    }
  }

  // Upload API.
  ack(
    stack.api.apiKeysSecret,
    'AwsSolutions-SMG4',
    'static bearer keys shared with API clients; rotate by putting a new value and redeploying the service',
  );
  ack(
    stack.api.service.loadBalancer,
    'AwsSolutions-EC23',
    'the internet-facing ALB is the public upload endpoint and listens on 80/443 only',
  );
  const apiRole = stack.api.service.taskDefinition.taskRole;
  ack(apiRole, `AwsSolutions-IAM5[Resource::${arnOf(uploadsBucket)}/*]`, objectsReason);
  ack(
    apiRole,
    `AwsSolutions-IAM5[Resource::${arnOf(uploadsBucket)}/${objectPrefixes.idempotency}*]`,
    'idempotency markers are keyed by a digest of the client key; reads are limited to that prefix',
  );
  ack(
    apiRole,
    `AwsSolutions-IAM5[Resource::${arnOf(uploadsBucket)}/${objectPrefixes.originals}*]`,
    'the status route heads originals by image id; reads are limited to the originals prefix',
  );

  // Processor.
  const processorRole = stack.processor.taskRole;
  ack(
    processorRole,
    `AwsSolutions-IAM5[Resource::${arnOf(uploadsBucket)}/${objectPrefixes.originals}*]`,
    'originals are keyed by image id; reads are limited to the originals prefix',
  );
  ack(
    processorRole,
    `AwsSolutions-IAM5[Resource::${arnOf(processedBucket)}/${objectPrefixes.processed}*]`,
    'processed images are keyed by image id; writes are limited to the processed prefix',
  );
  const gpu = stack.processor.node.tryFindChild('GpuInstanceRole');
  if (gpu) {
    ack(
      gpu,
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role]',
      'the standard policy of the ECS container agent on EC2 container instances',
    );
    ack(
      gpu,
      'AwsSolutions-IAM5[Resource::*]',
      'ECS agent calls (RegisterContainerInstance, Poll) have no resource scoping',
    );
    ack(
      gpu,
      'AwsSolutions-IAM5[Action::ecs:Submit*]',
      'the ECS agent reports task and container state changes',
    );
  }
  const asg = stack.processor.node.tryFindChild('GpuInstances');
  if (asg) {
    ack(
      asg,
      'AwsSolutions-AS3',
      'the group is scaled by the ECS capacity provider; launch and termination events are in ECS and ASG activity',
    );
  }
  const managedGpu = stack.processor.node.tryFindChild('ManagedGpuCapacityProvider');
  const managedInfraRole = managedGpu?.node.tryFindChild('ManagedGpuCapacityProviderRole');
  const managedInstanceRole = managedGpu?.node.tryFindChild('InstanceRole');
  if (managedInfraRole && managedInstanceRole) {
    ack(
      managedInfraRole,
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonECSInfrastructureRolePolicyForManagedInstances]',
      'the AWS-managed infrastructure policy ECS Managed Instances are built for (the CDK default)',
    );
    ack(
      managedInstanceRole,
      'AwsSolutions-IAM5[Resource::*]',
      "CDK's scoped-down instance policy for Managed Instances: ECS agent calls that have no resource type",
    );
    ack(
      managedInstanceRole,
      `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ecs:${stack.region}:<AWS::AccountId>:container-instance/*]`,
      'instances register as container instances whose ids are not known in advance',
    );
  }
  const clusterTasks = `arn:<AWS::Partition>:ecs:${stack.region}:<AWS::AccountId>:task/<${logicalIdOf(stack.cluster)}>/*`;
  const scalerRole = stack.trigger.node.tryFindChild('ScalerRole');
  if (scalerRole) {
    ack(
      scalerRole,
      'AwsSolutions-IAM5[Resource::*]',
      'ecs:ListTasks has no resource type; the statement carries an ecs:cluster condition',
    );
    ack(
      scalerRole,
      `AwsSolutions-IAM5[Resource::${clusterTasks}]`,
      'the scaler describes and tags the tasks it starts (RunTask only); task ids are not known in advance',
    );
  }

  // Results task.
  const resultsRole = stack.results.taskRole;
  ack(resultsRole, `AwsSolutions-IAM5[Resource::${arnOf(uploadsBucket)}/*]`, 'HeadObject of any upload');
  ack(
    resultsRole,
    `AwsSolutions-IAM5[Resource::${arnOf(processedBucket)}/*]`,
    'HeadObject of any processed image',
  );
  ack(
    resultsRole,
    `AwsSolutions-IAM5[Resource::${arnOf(processedBucket)}/reports/*]`,
    'reports are written under the reports/ prefix only',
  );
  ack(
    resultsRole,
    `AwsSolutions-IAM5[Resource::${arnOf(uploadsBucket)}/${objectPrefixes.originals}*]`,
    'sweep-orphans deletes originals that were never queued, under originals/ only',
  );
  ack(
    resultsRole,
    `AwsSolutions-IAM5[Resource::${arnOf(resultsTable)}/index/*]`,
    'queries by batch and by upload day use the table own indexes',
  );
}

function logicalIdOf(resource: IConstruct): string {
  const element = resource.node.defaultChild;
  if (!(element instanceof CfnElement))
    throw new Error(`${resource.node.path} has no CloudFormation resource`);
  return Stack.of(resource).getLogicalId(element);
}

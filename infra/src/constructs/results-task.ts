import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { objectPrefixes } from '../object-prefixes.ts';
import type { ContainerEnvironment } from '../service-environment.ts';

export interface ResultsTaskProps {
  readonly vpc: ec2.IVpc;
  readonly image: ecs.ContainerImage;
  readonly environment: ContainerEnvironment;
  readonly logGroup: logs.ILogGroup;
  readonly uploadsBucket: s3.IBucket;
  readonly processedBucket: s3.IBucket;
  readonly resultsTable: dynamodb.ITableV2;
  readonly reportsPrefix: string;
  /** `sweep-orphans` reads how many messages the queues hold and deletes orphaned originals. */
  readonly jobsQueue: sqs.IQueue;
  readonly deadLetterQueue: sqs.IQueue;
}

export const resultsContainerName = 'results';
export const resultsLogStreamPrefix = 'results';

/**
 * The results CLI as a one-off Fargate task: the run-task script passes the CLI's arguments as the
 * container command. It reads the table (items and indexes) and object heads, and writes reports;
 * `sweep-orphans` also reads the queues' message counts and deletes originals that were never queued.
 */
export class ResultsTask extends Construct {
  readonly taskDefinition: ecs.FargateTaskDefinition;
  readonly taskRole: iam.Role;
  readonly securityGroup: ec2.SecurityGroup;

  constructor(scope: Construct, id: string, props: ResultsTaskProps) {
    super(scope, id);
    this.taskRole = new iam.Role(this, 'TaskRole', {
      assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com'),
      description: 'results: read result rows and object heads, write reports, sweep orphaned uploads',
    });
    this.taskRole.addToPolicy(
      new iam.PolicyStatement({
        actions: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'],
        resources: [props.resultsTable.tableArn, `${props.resultsTable.tableArn}/index/*`],
      }),
    );
    // HeadObject is authorised by s3:GetObject.
    this.taskRole.addToPolicy(
      new iam.PolicyStatement({
        actions: ['s3:GetObject'],
        resources: [props.uploadsBucket.arnForObjects('*'), props.processedBucket.arnForObjects('*')],
      }),
    );
    // Without ListBucket, S3 answers 403 instead of 404 for a missing object.
    this.taskRole.addToPolicy(
      new iam.PolicyStatement({
        actions: ['s3:ListBucket'],
        resources: [props.uploadsBucket.bucketArn, props.processedBucket.bucketArn],
      }),
    );
    this.taskRole.addToPolicy(
      new iam.PolicyStatement({
        actions: ['s3:PutObject'],
        resources: [props.processedBucket.arnForObjects(`${props.reportsPrefix}*`)],
      }),
    );
    this.taskRole.addToPolicy(
      new iam.PolicyStatement({
        actions: ['s3:DeleteObject'],
        resources: [props.uploadsBucket.arnForObjects(`${objectPrefixes.originals}*`)],
      }),
    );
    // GetQueueUrl finds the DLQ named by the jobs queue's redrive policy.
    this.taskRole.addToPolicy(
      new iam.PolicyStatement({
        actions: ['sqs:GetQueueAttributes', 'sqs:GetQueueUrl'],
        resources: [props.jobsQueue.queueArn, props.deadLetterQueue.queueArn],
      }),
    );

    this.taskDefinition = new ecs.FargateTaskDefinition(this, 'Task', {
      cpu: 512,
      memoryLimitMiB: 1024,
      taskRole: this.taskRole,
      runtimePlatform: {
        cpuArchitecture: ecs.CpuArchitecture.X86_64,
        operatingSystemFamily: ecs.OperatingSystemFamily.LINUX,
      },
    });
    this.taskDefinition.addContainer(resultsContainerName, {
      containerName: resultsContainerName,
      image: props.image,
      essential: true,
      environment: props.environment,
      logging: ecs.LogDrivers.awsLogs({ logGroup: props.logGroup, streamPrefix: resultsLogStreamPrefix }),
      linuxParameters: new ecs.LinuxParameters(this, 'LinuxParameters', { initProcessEnabled: true }),
    });
    this.securityGroup = new ec2.SecurityGroup(this, 'TaskSecurityGroup', {
      vpc: props.vpc,
      description: 'results task: no inbound, outbound HTTPS to AWS APIs',
      allowAllOutbound: true,
    });
  }
}

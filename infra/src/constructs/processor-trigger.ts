import { join } from 'node:path';
import { Duration, Fn, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { repoRoot } from '../container-images.ts';

export interface ProcessorTriggerProps {
  readonly cluster: ecs.ICluster;
  readonly taskDefinition: ecs.TaskDefinition;
  readonly capacityProviderName: string;
  readonly taskSubnets: ec2.SubnetSelection;
  readonly vpc: ec2.IVpc;
  readonly securityGroup: ec2.ISecurityGroup;
  readonly jobsQueue: sqs.IQueue;
  readonly logRetention: logs.RetentionDays;
}

/**
 * Starts the processor as the design says: a CloudWatch alarm on visible messages goes to ALARM, an
 * EventBridge rule on that state change runs the task with the capacity-provider strategy. A backstop
 * function, on every stop of a processor task, runs it again when messages remain and none is active.
 */
export class ProcessorTrigger extends Construct {
  readonly queueNotEmptyAlarm: cloudwatch.Alarm;
  readonly rule: events.Rule;
  readonly backstopRule: events.Rule;
  readonly backstop: lambda.Function;

  constructor(scope: Construct, id: string, props: ProcessorTriggerProps) {
    super(scope, id);

    this.queueNotEmptyAlarm = new cloudwatch.Alarm(this, 'QueueNotEmpty', {
      alarmDescription: 'The jobs queue has visible messages: start a processor task',
      metric: props.jobsQueue.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(1),
        statistic: cloudwatch.Stats.MAXIMUM,
      }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });

    this.rule = new events.Rule(this, 'OnQueueNotEmpty', {
      description: 'Runs the processor when the jobs-queue alarm goes to ALARM',
      eventPattern: {
        source: ['aws.cloudwatch'],
        detailType: ['CloudWatch Alarm State Change'],
        resources: [this.queueNotEmptyAlarm.alarmArn],
        detail: { state: { value: ['ALARM'] } },
      },
    });
    // RunTask through EventBridge passes both of the task's roles. CDK's EcsTask target grants PassRole on
    // the task role only for a Fargate-compatible task definition, so the GPU (EC2) task could not start;
    // the role is made here and given both.
    const runTaskRole = new iam.Role(this, 'RunProcessorRole', {
      assumedBy: new iam.ServicePrincipal('events.amazonaws.com'),
      description: 'Lets the jobs-queue rule run the processor task',
    });
    props.taskDefinition.taskRole.grantPassRole(runTaskRole);
    if (props.taskDefinition.executionRole) props.taskDefinition.executionRole.grantPassRole(runTaskRole);
    this.rule.addTarget(
      new targets.EcsTask({
        cluster: props.cluster,
        taskDefinition: props.taskDefinition,
        role: runTaskRole,
        taskCount: 1,
        subnetSelection: props.taskSubnets,
        securityGroups: [props.securityGroup],
        propagateTags: ecs.PropagatedTagSource.TASK_DEFINITION,
      }),
    );
    // The EcsTask target cannot carry a capacity-provider strategy; set it on the rule itself. ECS refuses
    // a launch type next to a strategy, so the launch type the target writes is removed.
    const cfnRule = this.rule.node.defaultChild;
    if (!(cfnRule instanceof events.CfnRule)) throw new Error('the processor rule has no CfnRule');
    cfnRule.addPropertyOverride('Targets.0.EcsParameters.CapacityProviderStrategy', [
      { CapacityProvider: props.capacityProviderName, Weight: 1, Base: 0 },
    ]);
    cfnRule.addPropertyDeletionOverride('Targets.0.EcsParameters.LaunchType');

    this.backstop = this.createBackstop(props);
    this.backstopRule = new events.Rule(this, 'OnProcessorStopped', {
      description: 'Runs the processor again when one stops while messages remain',
      eventPattern: {
        source: ['aws.ecs'],
        detailType: ['ECS Task State Change'],
        detail: {
          clusterArn: [props.cluster.clusterArn],
          group: [`family:${props.taskDefinition.family}`],
          lastStatus: ['STOPPED'],
        },
      },
      targets: [new targets.LambdaFunction(this.backstop, { retryAttempts: 2 })],
    });
  }

  private createBackstop(props: ProcessorTriggerProps): lambda.Function {
    const logGroup = new logs.LogGroup(this, 'BackstopLogs', { retention: props.logRetention });
    const role = new iam.Role(this, 'BackstopRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'processor backstop: read the queue depth, list and run processor tasks',
    });
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [logGroup.logGroupArn],
      }),
    );
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['sqs:GetQueueAttributes'],
        resources: [props.jobsQueue.queueArn],
      }),
    );
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['ecs:ListTasks'],
        // ListTasks has no resource type; the cluster condition narrows it.
        resources: ['*'],
        conditions: { ArnEquals: { 'ecs:cluster': props.cluster.clusterArn } },
      }),
    );
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['ecs:RunTask'],
        resources: [props.taskDefinition.taskDefinitionArn],
        conditions: { ArnEquals: { 'ecs:cluster': props.cluster.clusterArn } },
      }),
    );
    const passRoles = [props.taskDefinition.taskRole.roleArn];
    if (props.taskDefinition.executionRole) passRoles.push(props.taskDefinition.executionRole.roleArn);
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['iam:PassRole'],
        resources: passRoles,
        conditions: { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } },
      }),
    );
    // Tags propagated from the task definition need ecs:TagResource on the new task.
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['ecs:TagResource'],
        resources: [
          Stack.of(this).formatArn({
            service: 'ecs',
            resource: 'task',
            resourceName: `${props.cluster.clusterName}/*`,
          }),
        ],
        conditions: { StringEquals: { 'ecs:CreateAction': 'RunTask' } },
      }),
    );

    const subnetIds = props.vpc.selectSubnets(props.taskSubnets).subnetIds;
    // No reserved concurrency: new accounts may have a concurrency limit of 10, and reserving any of it
    // fails the deploy. Two tasks stopping at once may each start one processor; both drain and exit.
    return new lambda.Function(this, 'Backstop', {
      description: 'Runs the processor again when a task stops while messages remain',
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      handler: 'index.handler',
      code: lambda.Code.fromAsset(join(repoRoot, 'infra', 'lambda', 'processor-backstop'), {
        exclude: ['*.d.mts'],
      }),
      timeout: Duration.seconds(30),
      memorySize: 256,
      role,
      logGroup,
      environment: {
        CLUSTER_ARN: props.cluster.clusterArn,
        TASK_FAMILY: props.taskDefinition.family,
        TASK_DEFINITION_ARN: props.taskDefinition.taskDefinitionArn,
        CAPACITY_PROVIDER: props.capacityProviderName,
        JOBS_QUEUE_URL: props.jobsQueue.queueUrl,
        SUBNET_IDS: Fn.join(',', subnetIds),
        SECURITY_GROUP_IDS: props.securityGroup.securityGroupId,
        MIN_RUN_SECONDS: '60',
      },
    });
  }
}

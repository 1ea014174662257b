import { Duration, Fn, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as ecs from 'aws-cdk-lib/aws-ecs';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { bundledLambdaCode } from '../lambda/bundled-code.ts';

export interface ProcessorTriggerProps {
  readonly cluster: ecs.ICluster;
  readonly taskDefinition: ecs.TaskDefinition;
  readonly capacityProviderName: string;
  readonly taskSubnets: ec2.SubnetSelection;
  readonly vpc: ec2.IVpc;
  readonly securityGroup: ec2.ISecurityGroup;
  readonly jobsQueue: sqs.IQueue;
  readonly logRetention: logs.RetentionDays;
  /** MAX_PROCESSOR_TASKS: processor tasks running at once, at most. */
  readonly maxProcessorTasks: number;
  /** BACKLOG_PER_TASK: visible messages per processor task. */
  readonly backlogPerTask: number;
}

/** How often the scaler runs while the fleet may need to grow (the shortest EventBridge rate). */
export const scalerScheduleRate = Duration.minutes(1);

/**
 * Sizes the processor fleet to the backlog. One scaler function (the shared decision: clamp(ceil(visible /
 * BACKLOG_PER_TASK), 0, MAX_PROCESSOR_TASKS) minus running and pending tasks) runs on three events: the
 * jobs-queue alarm going to ALARM (the empty -> non-empty edge), a one-minute schedule (a backlog that
 * grows while the alarm stays in ALARM), and every stop of a processor task (the former backstop).
 */
export class ProcessorTrigger extends Construct {
  readonly queueNotEmptyAlarm: cloudwatch.Alarm;
  readonly rule: events.Rule;
  readonly scheduleRule: events.Rule;
  readonly stoppedRule: events.Rule;
  readonly scaler: lambda.Function;

  constructor(scope: Construct, id: string, props: ProcessorTriggerProps) {
    super(scope, id);

    this.queueNotEmptyAlarm = new cloudwatch.Alarm(this, 'QueueNotEmpty', {
      alarmDescription: 'The jobs queue has visible messages: run the processor scaler',
      metric: props.jobsQueue.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(1),
        statistic: cloudwatch.Stats.MAXIMUM,
      }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });

    this.scaler = this.createScaler(props);
    const target = new targets.LambdaFunction(this.scaler, { retryAttempts: 2 });
    this.rule = new events.Rule(this, 'OnQueueNotEmpty', {
      description: 'Runs the processor scaler when the jobs-queue alarm goes to ALARM',
      eventPattern: {
        source: ['aws.cloudwatch'],
        detailType: ['CloudWatch Alarm State Change'],
        resources: [this.queueNotEmptyAlarm.alarmArn],
        detail: { state: { value: ['ALARM'] } },
      },
      targets: [target],
    });
    this.scheduleRule = new events.Rule(this, 'ScaleSchedule', {
      description: 'Runs the processor scaler every minute (it starts nothing when the queue is empty)',
      schedule: events.Schedule.rate(scalerScheduleRate),
      targets: [new targets.LambdaFunction(this.scaler, { retryAttempts: 0 })],
    });
    this.stoppedRule = new events.Rule(this, 'OnProcessorStopped', {
      description: 'Runs the processor scaler when a processor task stops',
      eventPattern: {
        source: ['aws.ecs'],
        detailType: ['ECS Task State Change'],
        detail: {
          clusterArn: [props.cluster.clusterArn],
          group: [`family:${props.taskDefinition.family}`],
          lastStatus: ['STOPPED'],
        },
      },
      targets: [target],
    });
  }

  private createScaler(props: ProcessorTriggerProps): lambda.Function {
    const logGroup = new logs.LogGroup(this, 'ScalerLogs', { retention: props.logRetention });
    const clusterCondition = { ArnEquals: { 'ecs:cluster': props.cluster.clusterArn } };
    const passRoles = [props.taskDefinition.taskRole.roleArn];
    if (props.taskDefinition.executionRole) passRoles.push(props.taskDefinition.executionRole.roleArn);
    const role = new iam.Role(this, 'ScalerRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'processor scaler: read the queue depth, list, describe and run processor tasks',
    });
    const statements = [
      new iam.PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [logGroup.logGroupArn],
      }),
      new iam.PolicyStatement({
        actions: ['sqs:GetQueueAttributes'],
        resources: [props.jobsQueue.queueArn],
      }),
      // ListTasks has no resource type; the cluster condition narrows it.
      new iam.PolicyStatement({
        actions: ['ecs:ListTasks'],
        resources: ['*'],
        conditions: clusterCondition,
      }),
      new iam.PolicyStatement({
        actions: ['ecs:DescribeTasks'],
        resources: [this.tasksOfCluster(props.cluster)],
        conditions: clusterCondition,
      }),
      new iam.PolicyStatement({
        actions: ['ecs:RunTask'],
        resources: [props.taskDefinition.taskDefinitionArn],
        conditions: clusterCondition,
      }),
      new iam.PolicyStatement({
        actions: ['iam:PassRole'],
        resources: passRoles,
        conditions: { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } },
      }),
      // Tags propagated from the task definition need ecs:TagResource on the new task.
      new iam.PolicyStatement({
        actions: ['ecs:TagResource'],
        resources: [this.tasksOfCluster(props.cluster)],
        conditions: { StringEquals: { 'ecs:CreateAction': 'RunTask' } },
      }),
    ];
    for (const statement of statements) role.addToPolicy(statement);

    const subnetIds = props.vpc.selectSubnets(props.taskSubnets).subnetIds;
    // No reserved concurrency (accounts with a concurrency limit of 10 refuse any reservation). Racing
    // invocations are made idempotent by counting PENDING tasks and by RunTask's client token instead.
    return new lambda.Function(this, 'Scaler', {
      description: 'Starts the processor tasks the jobs-queue backlog needs, up to MAX_PROCESSOR_TASKS',
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      handler: 'index.handler',
      code: bundledLambdaCode('processor-scaler/handler.ts'),
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
        MAX_PROCESSOR_TASKS: String(props.maxProcessorTasks),
        BACKLOG_PER_TASK: String(props.backlogPerTask),
      },
    });
  }

  private tasksOfCluster(cluster: ecs.ICluster): string {
    return Stack.of(this).formatArn({
      service: 'ecs',
      resource: 'task',
      resourceName: `${cluster.clusterName}/*`,
    });
  }
}

import { metricsNamespace } from '@photo-pipeline/shared/metrics';
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface ObservabilityProps {
  readonly dashboardName: string;
  readonly jobsQueue: sqs.IQueue;
  readonly deadLetterQueue: sqs.IQueue;
  readonly loadBalancer: elbv2.IApplicationLoadBalancer;
  readonly targetGroup: elbv2.IApplicationTargetGroup;
  readonly api5xxThreshold: number;
  readonly alarmTopicArn: string | undefined;
}

/** EMF metrics from the processor are dimensioned by Service (see @photo-pipeline/shared/metrics). */
const processorDimensions = { Service: 'processor' };

/**
 * Age of the oldest jobs message that raises the stuck-queue alarm. A working processor takes a message
 * within minutes of it landing (a cold GPU instance's boot and image pull included), so an hour means
 * nothing is draining the queue: typically the processor failing at start-up, which the scaler does not
 * retry while ECS lists the failed task (about an hour). An hour leaves
 * almost all of the 4-day retention to fix it before SQS drops the messages.
 */
export const jobsQueueStuckAge = Duration.hours(1);

/**
 * The dashboard (queue depth, age of the oldest message, DLQ depth, images processed and failed, API
 * 5xx and latency) and the alarms on DLQ depth, API 5xx and the age of the oldest jobs message.
 */
export class Observability extends Construct {
  readonly deadLetterAlarm: cloudwatch.Alarm;
  readonly api5xxAlarm: cloudwatch.Alarm;
  readonly jobsQueueStuckAlarm: cloudwatch.Alarm;
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: ObservabilityProps) {
    super(scope, id);
    const minute = Duration.minutes(1);
    const queueDepth = props.jobsQueue.metricApproximateNumberOfMessagesVisible({ period: minute });
    const inFlight = props.jobsQueue.metricApproximateNumberOfMessagesNotVisible({ period: minute });
    const oldestAge = props.jobsQueue.metricApproximateAgeOfOldestMessage({ period: minute });
    const dlqDepth = props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
      period: minute,
      statistic: cloudwatch.Stats.MAXIMUM,
    });
    const processorMetric = (metricName: string) =>
      new cloudwatch.Metric({
        namespace: metricsNamespace,
        metricName,
        dimensionsMap: processorDimensions,
        statistic: cloudwatch.Stats.SUM,
        period: minute,
      });
    const api5xx = new cloudwatch.MathExpression({
      label: 'API 5xx (targets + load balancer)',
      expression: 'FILL(target, 0) + FILL(elb, 0)',
      usingMetrics: {
        target: props.targetGroup.metrics.httpCodeTarget(elbv2.HttpCodeTarget.TARGET_5XX_COUNT, {
          period: Duration.minutes(5),
          statistic: cloudwatch.Stats.SUM,
        }),
        elb: props.loadBalancer.metrics.httpCodeElb(elbv2.HttpCodeElb.ELB_5XX_COUNT, {
          period: Duration.minutes(5),
          statistic: cloudwatch.Stats.SUM,
        }),
      },
      period: Duration.minutes(5),
    });
    const latency = props.targetGroup.metrics.targetResponseTime({ period: minute, statistic: 'p95' });

    this.deadLetterAlarm = new cloudwatch.Alarm(this, 'DeadLetters', {
      alarmDescription: 'Images landed in the jobs DLQ: they failed every retry (inspect and redrive)',
      metric: dlqDepth,
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    this.api5xxAlarm = new cloudwatch.Alarm(this, 'Api5xx', {
      alarmDescription: 'The upload API answers 5xx',
      metric: api5xx,
      threshold: props.api5xxThreshold,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    this.jobsQueueStuckAlarm = new cloudwatch.Alarm(this, 'JobsQueueStuck', {
      alarmDescription:
        `The oldest jobs message is ${jobsQueueStuckAge.toHumanString()} old: nothing drains the queue. ` +
        'Check the processor logs for a start-up failure, fix it, then start the processor ' +
        '(infra/README.md, "When the jobs queue is stuck"); messages are dropped when retention ends',
      metric: props.jobsQueue.metricApproximateAgeOfOldestMessage({
        period: Duration.minutes(5),
        statistic: cloudwatch.Stats.MAXIMUM,
      }),
      threshold: jobsQueueStuckAge.toSeconds(),
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    const operationalAlarms = [this.deadLetterAlarm, this.api5xxAlarm, this.jobsQueueStuckAlarm];
    if (props.alarmTopicArn) {
      const topic = sns.Topic.fromTopicArn(this, 'AlarmTopic', props.alarmTopicArn);
      for (const alarm of operationalAlarms) {
        alarm.addAlarmAction(new cloudwatchActions.SnsAction(topic));
        alarm.addOkAction(new cloudwatchActions.SnsAction(topic));
      }
    }

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: props.dashboardName,
      defaultInterval: Duration.hours(3),
    });
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Jobs queue depth',
        left: [queueDepth, inFlight],
        width: 8,
      }),
      new cloudwatch.GraphWidget({ title: 'Age of oldest message (s)', left: [oldestAge], width: 8 }),
      new cloudwatch.GraphWidget({ title: 'DLQ depth', left: [dlqDepth], width: 8 }),
    );
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Images processed / failed',
        left: [processorMetric('ImagesProcessed'), processorMetric('ImagesFailed')],
        width: 8,
      }),
      new cloudwatch.GraphWidget({ title: 'API 5xx', left: [api5xx], width: 8 }),
      new cloudwatch.GraphWidget({ title: 'API latency p95 (s)', left: [latency], width: 8 }),
    );
    this.dashboard.addWidgets(
      new cloudwatch.AlarmStatusWidget({
        title: 'Alarms',
        alarms: operationalAlarms,
        width: 24,
      }),
    );
  }
}

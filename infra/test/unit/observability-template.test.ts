import { jobsQueueDefaults } from '@photo-pipeline/shared/resources';
import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { jobsQueueStuckAge } from '../../src/constructs/observability.ts';
import { logicalIdOf, type SynthesizedPipeline, synthPipeline } from '../support/synth-pipeline.ts';

let pipeline: SynthesizedPipeline;
beforeAll(() => {
  pipeline = synthPipeline({ objectExpiryDays: '45', logRetentionDays: '14' });
});

describe('observability', () => {
  it('gives every log group a retention', () => {
    const groups = Object.values(pipeline.template.findResources('AWS::Logs::LogGroup'));
    expect(groups.length).toBeGreaterThanOrEqual(5);
    for (const group of groups) expect(group.Properties.RetentionInDays).toBe(14);
  });

  it('alarms on any message in the DLQ and on API 5xx answers', () => {
    const dlqId = logicalIdOf(pipeline.template, 'AWS::SQS::Queue', 'StorageJobsDlq');
    pipeline.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [dlqId, 'QueueName'] } }],
      Threshold: 1,
    });
    pipeline.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Metrics: Match.arrayWith([
        Match.objectLike({
          MetricStat: Match.objectLike({
            Metric: Match.objectLike({ MetricName: 'HTTPCode_Target_5XX_Count' }),
          }),
        }),
      ]),
      Threshold: 5,
    });
  });

  it('alarms when the oldest jobs message is an hour old, long before the queue retention drops it', () => {
    // A processor failing at start-up is not restarted by the scaler and the queue-depth trigger stays in
    // ALARM, so without this alarm the messages would sit silently until the retention expires.
    const queueId = pipeline.logicalId(pipeline.stack.storage.jobsQueue);
    expect(jobsQueueStuckAge.toSeconds()).toBe(3600);
    expect(jobsQueueStuckAge.toSeconds()).toBeLessThan(jobsQueueDefaults.messageRetentionSeconds / 24);
    const alarms = pipeline.template.findResources('AWS::CloudWatch::Alarm', {
      Properties: {
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateAgeOfOldestMessage',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queueId, 'QueueName'] } }],
      },
    });
    expect(Object.values(alarms).map((alarm) => alarm.Properties)).toEqual([
      expect.objectContaining({
        Statistic: 'Maximum',
        Threshold: 3600,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        EvaluationPeriods: 1,
        TreatMissingData: 'notBreaching',
      }),
    ]);
  });

  it('draws queue depth, oldest message age, DLQ depth, images processed and failed, API 5xx and latency', () => {
    const dashboards = Object.values(pipeline.template.findResources('AWS::CloudWatch::Dashboard'));
    expect(dashboards).toHaveLength(1);
    const body = JSON.stringify(pipeline.resolve(dashboards[0]?.Properties.DashboardBody));
    for (const metric of [
      'ApproximateNumberOfMessagesVisible',
      'ApproximateAgeOfOldestMessage',
      'ImagesProcessed',
      'ImagesFailed',
      'HTTPCode_Target_5XX_Count',
      'TargetResponseTime',
    ]) {
      expect(body).toContain(metric);
    }
  });
});

import { CfnOutput, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { ApiService } from './constructs/api-service.ts';
import { Network } from './constructs/network.ts';
import { Observability } from './constructs/observability.ts';
import { Processor } from './constructs/processor.ts';
import { ProcessorTrigger } from './constructs/processor-trigger.ts';
import { ResultsTask, resultsContainerName, resultsLogStreamPrefix } from './constructs/results-task.ts';
import { Storage } from './constructs/storage.ts';
import { containerImage } from './container-images.ts';
import type { InfraConfig } from './infra-config.ts';
import { addNagSuppressions } from './nag-suppressions.ts';
import {
  apiEnvironment,
  type PipelineResourceRefs,
  processorEnvironment,
  resultsEnvironment,
} from './service-environment.ts';
import { stackOutputNames } from './stack-outputs.ts';

export interface PipelineStackProps extends StackProps {
  readonly config: InfraConfig;
}

/** The whole pipeline in one environment-agnostic stack: synth needs no account, no lookups, no Docker. */
export class PipelineStack extends Stack {
  readonly storage: Storage;
  readonly cluster: ecs.Cluster;
  readonly api: ApiService;
  readonly processor: Processor;
  readonly trigger: ProcessorTrigger;
  readonly results: ResultsTask;
  readonly observability: Observability;

  constructor(scope: Construct, id: string, props: PipelineStackProps) {
    super(scope, id, props);
    const { config } = props;
    const removalPolicy = config.removalPolicy === 'destroy' ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN;
    const logRetention = config.logRetentionDays as logs.RetentionDays;

    const network = new Network(this, 'Network', { egress: config.egress, logRetention });
    this.storage = new Storage(this, 'Storage', {
      objectExpiryDays: config.objectExpiryDays,
      removalPolicy,
      autoDeleteObjects: config.removalPolicy === 'destroy',
    });
    const { uploadsBucket, processedBucket, jobsQueue, deadLetterQueue, resultsTable } = this.storage;
    const refs: PipelineResourceRefs = {
      region: this.region,
      uploadsBucket: uploadsBucket.bucketName,
      processedBucket: processedBucket.bucketName,
      jobsQueueUrl: jobsQueue.queueUrl,
      jobsQueueName: jobsQueue.queueName,
      resultsTable: resultsTable.tableName,
    };

    const cluster = new ecs.Cluster(this, 'Cluster', {
      vpc: network.vpc,
      containerInsightsV2: ecs.ContainerInsights.ENABLED,
    });
    this.cluster = cluster;
    const logGroup = (name: string) =>
      new logs.LogGroup(this, `${name}Logs`, { retention: logRetention, removalPolicy });
    const imageSource = {
      imageTag: config.imageTag,
      imageRepositoryPrefix: config.imageRepositoryPrefix,
    };

    this.api = new ApiService(this, 'Api', {
      cluster,
      taskSubnets: network.taskSubnets,
      image: containerImage(this, 'api', imageSource),
      environment: apiEnvironment(refs),
      logGroup: logGroup('Api'),
      uploadsBucket,
      jobsQueue,
      resultsTable,
      accessLogsBucket: this.storage.accessLogsBucket,
      certificateArn: config.certificateArn,
      minTasks: config.apiMinTasks,
      maxTasks: config.apiMaxTasks,
    });

    this.processor = new Processor(this, 'Processor', {
      cluster,
      vpc: network.vpc,
      taskSubnets: network.taskSubnets,
      compute: config.processorCompute,
      image: containerImage(
        this,
        config.processorCompute === 'gpu' ? 'processor-gpu' : 'processor',
        imageSource,
      ),
      environment: processorEnvironment(refs, config.processorCompute),
      logGroup: logGroup('Processor'),
      uploadsBucket,
      processedBucket,
      jobsQueue,
      resultsTable,
      gpuInstanceType: config.gpuInstanceType,
      maxGpuInstances: config.maxGpuInstances,
      gpuCapacity: config.gpuCapacity,
    });
    this.trigger = new ProcessorTrigger(this, 'ProcessorTrigger', {
      cluster,
      taskDefinition: this.processor.taskDefinition,
      capacityProviderName: this.processor.capacityProviderName,
      taskSubnets: network.taskSubnets,
      vpc: network.vpc,
      securityGroup: this.processor.securityGroup,
      jobsQueue,
      logRetention,
      maxProcessorTasks:
        config.maxProcessorTasks ?? (config.processorCompute === 'gpu' ? config.maxGpuInstances : 2),
      backlogPerTask: config.backlogPerTask,
    });

    const resultsEnv = resultsEnvironment(refs);
    const resultsLogs = logGroup('Results');
    this.results = new ResultsTask(this, 'Results', {
      vpc: network.vpc,
      image: containerImage(this, 'results', imageSource),
      environment: resultsEnv,
      logGroup: resultsLogs,
      uploadsBucket,
      processedBucket,
      resultsTable,
      reportsPrefix: resultsEnv.REPORTS_PREFIX ?? 'reports/',
      jobsQueue,
      deadLetterQueue,
    });

    this.observability = new Observability(this, 'Observability', {
      dashboardName: `${this.stackName}-pipeline`,
      jobsQueue,
      deadLetterQueue,
      loadBalancer: this.api.service.loadBalancer,
      targetGroup: this.api.service.targetGroup,
      api5xxThreshold: config.api5xxAlarmThreshold,
      alarmTopicArn: config.alarmTopicArn,
    });

    const output = (name: string, value: string) => new CfnOutput(this, name, { value });
    const scheme = config.certificateArn ? 'https' : 'http';
    output(stackOutputNames.apiUrl, `${scheme}://${this.api.service.loadBalancer.loadBalancerDnsName}`);
    output(stackOutputNames.apiKeysSecretArn, this.api.apiKeysSecret.secretArn);
    output(stackOutputNames.clusterArn, cluster.clusterArn);
    output(stackOutputNames.resultsTaskDefinitionArn, this.results.taskDefinition.taskDefinitionArn);
    output(stackOutputNames.resultsContainerName, resultsContainerName);
    output(
      stackOutputNames.resultsSubnetIds,
      network.vpc.selectSubnets(network.taskSubnets).subnetIds.join(','),
    );
    output(stackOutputNames.resultsSecurityGroupId, this.results.securityGroup.securityGroupId);
    output(stackOutputNames.resultsLogGroupName, resultsLogs.logGroupName);
    output(stackOutputNames.resultsLogStreamPrefix, resultsLogStreamPrefix);
    output(stackOutputNames.uploadsBucketName, uploadsBucket.bucketName);
    output(stackOutputNames.processedBucketName, processedBucket.bucketName);
    output(stackOutputNames.jobsQueueUrl, jobsQueue.queueUrl);
    output(stackOutputNames.deadLetterQueueUrl, deadLetterQueue.queueUrl);
    output(stackOutputNames.resultsTableName, resultsTable.tableName);
    output(stackOutputNames.dashboardName, this.observability.dashboard.dashboardName);

    addNagSuppressions(this);
  }
}

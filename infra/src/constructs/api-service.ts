import { Duration } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as ecsPatterns from 'aws-cdk-lib/aws-ecs-patterns';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { objectPrefixes } from '../object-prefixes.ts';
import { apiContainerPort, type ContainerEnvironment, stopTimeouts } from '../service-environment.ts';

export interface ApiServiceProps {
  readonly cluster: ecs.ICluster;
  readonly taskSubnets: ec2.SubnetSelection;
  readonly image: ecs.ContainerImage;
  readonly environment: ContainerEnvironment;
  readonly logGroup: logs.ILogGroup;
  readonly uploadsBucket: s3.IBucket;
  readonly jobsQueue: sqs.IQueue;
  readonly resultsTable: dynamodb.ITableV2;
  readonly accessLogsBucket: s3.IBucket;
  readonly certificateArn: string | undefined;
  readonly minTasks: number;
  readonly maxTasks: number;
}

export const apiHealthCheckPath = '/readyz';

/**
 * The upload API: Fargate tasks in private subnets behind a public ALB (HTTPS when a certificate is
 * given), health-checked on /readyz, scaled on CPU and on requests per target, rolled back automatically
 * when a deployment does not stabilise. API keys live in a generated Secrets Manager secret.
 */
export class ApiService extends Construct {
  readonly service: ecsPatterns.ApplicationLoadBalancedFargateService;
  readonly apiKeysSecret: secretsmanager.Secret;

  constructor(scope: Construct, id: string, props: ApiServiceProps) {
    super(scope, id);

    this.apiKeysSecret = new secretsmanager.Secret(this, 'ApiKeys', {
      description: 'Bearer key(s) of the photo-pipeline upload API (API_KEYS, comma-separated)',
      generateSecretString: { passwordLength: 40, excludePunctuation: true },
    });

    const taskRole = new iam.Role(this, 'TaskRole', {
      assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com'),
      description:
        'upload API: write uploads (and roll them back), read idempotency markers, send job messages',
    });
    // Exactly what the API does: stream an upload (single or multipart), abort it and delete the objects
    // of a rejected request (nothing is left behind), read its idempotency markers, queue the jobs; the
    // status route reads result rows and heads originals; /readyz needs HeadBucket (s3:ListBucket, which
    // also turns a missing object into 404 rather than 403) and GetQueueAttributes.
    const { uploadsBucket } = props;
    taskRole.addToPolicy(
      new iam.PolicyStatement({
        actions: ['s3:PutObject', 's3:AbortMultipartUpload', 's3:DeleteObject'],
        resources: [uploadsBucket.arnForObjects('*')],
      }),
    );
    taskRole.addToPolicy(
      new iam.PolicyStatement({
        actions: ['s3:GetObject'],
        resources: [
          uploadsBucket.arnForObjects(`${objectPrefixes.idempotency}*`),
          uploadsBucket.arnForObjects(`${objectPrefixes.originals}*`),
        ],
      }),
    );
    taskRole.addToPolicy(
      new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: [uploadsBucket.bucketArn] }),
    );
    taskRole.addToPolicy(
      new iam.PolicyStatement({
        actions: ['sqs:SendMessage', 'sqs:GetQueueAttributes'],
        resources: [props.jobsQueue.queueArn],
      }),
    );
    taskRole.addToPolicy(
      new iam.PolicyStatement({
        actions: ['dynamodb:BatchGetItem'],
        resources: [props.resultsTable.tableArn],
      }),
    );

    const certificate = props.certificateArn
      ? acm.Certificate.fromCertificateArn(this, 'Certificate', props.certificateArn)
      : undefined;

    this.service = new ecsPatterns.ApplicationLoadBalancedFargateService(this, 'Service', {
      cluster: props.cluster,
      taskSubnets: props.taskSubnets,
      publicLoadBalancer: true,
      cpu: 512,
      memoryLimitMiB: 1024,
      desiredCount: props.minTasks,
      runtimePlatform: {
        cpuArchitecture: ecs.CpuArchitecture.X86_64,
        operatingSystemFamily: ecs.OperatingSystemFamily.LINUX,
      },
      circuitBreaker: { enable: true, rollback: true },
      minHealthyPercent: 100,
      maxHealthyPercent: 200,
      healthCheckGracePeriod: Duration.seconds(30),
      ...(certificate
        ? { certificate, protocol: elbv2.ApplicationProtocol.HTTPS, redirectHTTP: true }
        : { protocol: elbv2.ApplicationProtocol.HTTP }),
      taskImageOptions: {
        image: props.image,
        containerName: 'api',
        containerPort: apiContainerPort,
        taskRole,
        environment: props.environment,
        secrets: { API_KEYS: ecs.Secret.fromSecretsManager(this.apiKeysSecret) },
        logDriver: ecs.LogDrivers.awsLogs({ logGroup: props.logGroup, streamPrefix: 'api' }),
      },
    });
    // The pattern cannot set these: the API's shutdown budget after SIGTERM, and tini as PID 1.
    const cfnTaskDefinition = this.service.taskDefinition.node.defaultChild;
    if (!(cfnTaskDefinition instanceof ecs.CfnTaskDefinition))
      throw new Error('the API has no CfnTaskDefinition');
    cfnTaskDefinition.addPropertyOverride(
      'ContainerDefinitions.0.StopTimeout',
      stopTimeouts.apiContainerSeconds,
    );
    cfnTaskDefinition.addPropertyOverride('ContainerDefinitions.0.LinuxParameters.InitProcessEnabled', true);
    this.service.taskDefinition.defaultContainer?.addUlimits({
      name: ecs.UlimitName.NOFILE,
      softLimit: 65_536,
      hardLimit: 65_536,
    });
    // Large uploads take a while; the ALB default of 60 s would cut them off.
    this.service.loadBalancer.setAttribute('idle_timeout.timeout_seconds', '300');
    this.service.loadBalancer.setAttribute('routing.http.drop_invalid_header_fields.enabled', 'true');
    this.service.loadBalancer.logAccessLogs(props.accessLogsBucket, 'alb');
    this.service.targetGroup.configureHealthCheck({
      path: apiHealthCheckPath,
      healthyHttpCodes: '200',
      interval: Duration.seconds(15),
      timeout: Duration.seconds(5),
      healthyThresholdCount: 2,
      unhealthyThresholdCount: 3,
    });
    // In-flight uploads get time to finish when a task is drained (the API closes gracefully on SIGTERM).
    this.service.targetGroup.setAttribute('deregistration_delay.timeout_seconds', '60');

    const scaling = this.service.service.autoScaleTaskCount({
      minCapacity: props.minTasks,
      maxCapacity: props.maxTasks,
    });
    scaling.scaleOnCpuUtilization('Cpu', { targetUtilizationPercent: 60 });
    scaling.scaleOnRequestCount('Requests', {
      requestsPerTarget: 500,
      targetGroup: this.service.targetGroup,
    });
  }
}

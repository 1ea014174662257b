import { Duration, Size, Stack } from 'aws-cdk-lib';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { objectPrefixes } from '../object-prefixes.ts';
import { type ContainerEnvironment, stopTimeouts } from '../service-environment.ts';

export type GpuCapacity = 'asg' | 'managed-instances' | 'managed-instances-spot';

export interface ProcessorProps {
  readonly cluster: ecs.Cluster;
  readonly vpc: ec2.IVpc;
  readonly taskSubnets: ec2.SubnetSelection;
  readonly compute: 'gpu' | 'cpu';
  readonly image: ecs.ContainerImage;
  readonly environment: ContainerEnvironment;
  readonly logGroup: logs.ILogGroup;
  readonly uploadsBucket: s3.IBucket;
  readonly processedBucket: s3.IBucket;
  readonly jobsQueue: sqs.IQueue;
  readonly resultsTable: dynamodb.ITableV2;
  readonly gpuInstanceType: string;
  readonly maxGpuInstances: number;
  /** asg: an Auto Scaling group of gpuInstanceType from 0; managed-instances(-spot): ECS Managed Instances with NVIDIA GPUs. */
  readonly gpuCapacity: GpuCapacity;
}

/** Seconds ECS waits after SIGTERM before SIGKILL: the most ECS allows, to finish the image in hand. */
export const processorStopTimeoutSeconds = stopTimeouts.processorContainerSeconds;

/**
 * The processor task definition and the capacity it runs on: with `compute: gpu` an EC2 task on an Auto
 * Scaling group of GPU instances (ECS GPU-optimised AMI, 0 instances when idle, scaled by the capacity
 * provider's managed scaling); with `compute: cpu` a Fargate task. Either way the task is started by
 * RunTask with `capacityProviderStrategy`, never as a service.
 */
export class Processor extends Construct {
  readonly taskDefinition: ecs.TaskDefinition;
  readonly taskRole: iam.Role;
  readonly securityGroup: ec2.SecurityGroup;
  /** The capacity provider RunTask must name: the ASG provider's name, or FARGATE. */
  readonly capacityProviderName: string;

  constructor(scope: Construct, id: string, props: ProcessorProps) {
    super(scope, id);
    const family = `${Stack.of(this).stackName}-processor`;

    this.taskRole = new iam.Role(this, 'TaskRole', {
      assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com'),
      description: 'processor: read uploads, write processed images and result rows, consume the jobs queue',
    });
    this.taskRole.addToPolicy(
      new iam.PolicyStatement({
        actions: ['s3:GetObject'],
        resources: [props.uploadsBucket.arnForObjects(`${objectPrefixes.originals}*`)],
      }),
    );
    // Without ListBucket, S3 answers a missing original with 403 instead of NoSuchKey, and the image
    // would fail as INTERNAL rather than OBJECT_MISSING (as it does locally).
    this.taskRole.addToPolicy(
      new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: [props.uploadsBucket.bucketArn] }),
    );
    this.taskRole.addToPolicy(
      new iam.PolicyStatement({
        actions: ['s3:PutObject'],
        resources: [props.processedBucket.arnForObjects(`${objectPrefixes.processed}*`)],
      }),
    );
    this.taskRole.addToPolicy(
      new iam.PolicyStatement({
        actions: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility'],
        resources: [props.jobsQueue.queueArn],
      }),
    );
    this.taskRole.addToPolicy(
      new iam.PolicyStatement({
        // GetItem: an already-written row makes a redelivered message a no-op; PutItem is conditional.
        actions: ['dynamodb:GetItem', 'dynamodb:PutItem'],
        resources: [props.resultsTable.tableArn],
      }),
    );

    this.securityGroup = new ec2.SecurityGroup(this, 'TaskSecurityGroup', {
      vpc: props.vpc,
      description: 'processor tasks: no inbound, outbound HTTPS to AWS APIs',
      allowAllOutbound: true,
    });

    const containerOptions: ecs.ContainerDefinitionOptions = {
      image: props.image,
      containerName: 'processor',
      essential: true,
      environment: props.environment,
      logging: ecs.LogDrivers.awsLogs({ logGroup: props.logGroup, streamPrefix: 'processor' }),
      stopTimeout: Duration.seconds(processorStopTimeoutSeconds),
      // tini as PID 1 forwards SIGTERM to Node and reaps children.
      linuxParameters: new ecs.LinuxParameters(this, 'LinuxParameters', { initProcessEnabled: true }),
    };

    if (props.compute === 'gpu') {
      const managed = props.gpuCapacity !== 'asg';
      const taskDefinition = new ecs.TaskDefinition(this, 'GpuTask', {
        family,
        compatibility: managed ? ecs.Compatibility.MANAGED_INSTANCES : ecs.Compatibility.EC2,
        networkMode: ecs.NetworkMode.AWS_VPC,
        taskRole: this.taskRole,
      });
      taskDefinition.addContainer('processor', {
        ...containerOptions,
        gpuCount: 1,
        cpu: 3072,
        memoryReservationMiB: 12_288,
        memoryLimitMiB: 14_336,
      });
      this.taskDefinition = taskDefinition;
      this.capacityProviderName = managed
        ? this.addManagedGpuCapacity(props).capacityProviderName
        : this.addGpuCapacity(props).capacityProviderName;
    } else {
      const taskDefinition = new ecs.FargateTaskDefinition(this, 'CpuTask', {
        family,
        cpu: 2048,
        memoryLimitMiB: 4096,
        taskRole: this.taskRole,
        runtimePlatform: {
          cpuArchitecture: ecs.CpuArchitecture.X86_64,
          operatingSystemFamily: ecs.OperatingSystemFamily.LINUX,
        },
      });
      taskDefinition.addContainer('processor', containerOptions);
      this.taskDefinition = taskDefinition;
      props.cluster.enableFargateCapacityProviders();
      this.capacityProviderName = 'FARGATE';
    }
  }

  private addGpuCapacity(props: ProcessorProps): ecs.AsgCapacityProvider {
    const instanceSecurityGroup = new ec2.SecurityGroup(this, 'GpuInstanceSecurityGroup', {
      vpc: props.vpc,
      description: 'GPU container instances: no inbound, outbound to ECS, ECR and AWS APIs',
      allowAllOutbound: true,
    });
    const launchTemplate = new ec2.LaunchTemplate(this, 'GpuLaunchTemplate', {
      instanceType: new ec2.InstanceType(props.gpuInstanceType),
      machineImage: ecs.EcsOptimizedImage.amazonLinux2023(ecs.AmiHardwareType.GPU),
      // The launch template's user data is filled in by the capacity provider (ECS cluster join).
      userData: ec2.UserData.forLinux(),
      role: new iam.Role(this, 'GpuInstanceRole', {
        assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com'),
        managedPolicies: [
          iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AmazonEC2ContainerServiceforEC2Role'),
        ],
      }),
      securityGroup: instanceSecurityGroup,
      requireImdsv2: true,
      httpPutResponseHopLimit: 1,
      blockDevices: [
        {
          // The GPU image (CUDA + cuDNN) is several GB; room for it and one previous version.
          deviceName: '/dev/xvda',
          volume: ec2.BlockDeviceVolume.ebs(80, { encrypted: true, volumeType: ec2.EbsDeviceVolumeType.GP3 }),
        },
      ],
    });
    const group = new autoscaling.AutoScalingGroup(this, 'GpuInstances', {
      vpc: props.vpc,
      vpcSubnets: props.taskSubnets,
      launchTemplate,
      minCapacity: 0,
      maxCapacity: props.maxGpuInstances,
      // Managed scaling sets the desired count; CloudFormation must not reset it on every deploy.
      desiredCapacity: undefined,
    });
    const provider = new ecs.AsgCapacityProvider(this, 'GpuCapacityProvider', {
      autoScalingGroup: group,
      enableManagedScaling: true,
      targetCapacityPercent: 100,
      // Without managed termination protection, scale-in may stop an instance with a task on it; the
      // task gets SIGTERM and hands its message back (visibility), so no image is lost.
      enableManagedTerminationProtection: false,
      enableManagedDraining: true,
    });
    props.cluster.addAsgCapacityProvider(provider);
    return provider;
  }

  /**
   * ECS Managed Instances: ECS picks, patches and retires the instances (an ECS-managed AMI with the
   * NVIDIA driver), from the instance requirements below: one or more NVIDIA GPUs, at least the task's
   * 3 vCPU and 14 GiB; On-Demand or Spot.
   */
  private addManagedGpuCapacity(props: ProcessorProps): ecs.ManagedInstancesCapacityProvider {
    const instanceSecurityGroup = new ec2.SecurityGroup(this, 'ManagedGpuSecurityGroup', {
      vpc: props.vpc,
      description: 'GPU managed instances: no inbound, outbound to ECS, ECR and AWS APIs',
      allowAllOutbound: true,
    });
    const provider = new ecs.ManagedInstancesCapacityProvider(this, 'ManagedGpuCapacityProvider', {
      subnets: props.vpc.selectSubnets(props.taskSubnets).subnets,
      securityGroups: [instanceSecurityGroup],
      capacityOptionType:
        props.gpuCapacity === 'managed-instances-spot'
          ? ecs.CapacityOptionType.SPOT
          : ecs.CapacityOptionType.ON_DEMAND,
      instanceRequirements: {
        vCpuCountMin: 4,
        memoryMin: Size.gibibytes(16),
        acceleratorTypes: [ec2.AcceleratorType.GPU],
        acceleratorManufacturers: [ec2.AcceleratorManufacturer.NVIDIA],
        acceleratorCountMin: 1,
      },
    });
    props.cluster.addManagedInstancesCapacityProvider(provider);
    return provider;
  }
}

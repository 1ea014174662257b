import { z } from 'zod';

/**
 * The CDK app's settings, read once from CDK context (`-c key=value` or cdk.json). Every setting has a
 * default so `pnpm synth` works with no arguments and no AWS account.
 */
const positiveInt = (min: number, max: number) =>
  z.coerce
    .number()
    .int()
    .min(min)
    .max(max, { message: `expected a whole number from ${min} to ${max}` });

export const infraConfigSchema = z.object({
  /**
   * The region the stack is for (ALB access logging needs it at synth). The account stays unresolved,
   * so synth needs no credentials. Defaults to the CLI's region, else us-east-1.
   */
  region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, { message: 'expected a region such as eu-west-1' }),
  /** Name of the CloudFormation stack. */
  stackName: z.string().min(1).default('PhotoPipeline'),
  /** gpu: EC2 capacity provider on the ECS GPU-optimised AMI; cpu: Fargate. */
  processorCompute: z.enum(['gpu', 'cpu'], { message: 'expected gpu or cpu' }).default('gpu'),
  /**
   * How private tasks reach AWS APIs and ECR. nat: one NAT gateway plus free S3/DynamoDB gateway
   * endpoints (cheapest at low volume); endpoints: no internet route, interface endpoints instead.
   */
  egress: z.enum(['nat', 'endpoints'], { message: 'expected nat or endpoints' }).default('nat'),
  /** An ACM certificate ARN for the ALB; when given the API is served over HTTPS and HTTP redirects. */
  certificateArn: z.string().startsWith('arn:').optional(),
  /**
   * Where images come from. Unset: `cdk deploy` builds the Dockerfiles in docker/ and pushes them
   * (Docker needed at deploy time only). Set: use tag `imageTag` from existing ECR repositories
   * `<imageRepositoryPrefix>/{api,processor,processor-gpu,results}`.
   */
  imageTag: z.string().min(1).optional(),
  imageRepositoryPrefix: z.string().min(1).default('photo-pipeline'),
  /** Days after which uploaded and processed objects expire; 0 keeps them forever. */
  objectExpiryDays: positiveInt(0, 3650).default(30),
  /** CloudWatch Logs retention of every log group, in days. */
  logRetentionDays: positiveInt(1, 3653).default(30),
  apiMinTasks: positiveInt(1, 100).default(1),
  apiMaxTasks: positiveInt(1, 100).default(4),
  gpuInstanceType: z.string().min(1).default('g4dn.xlarge'),
  maxGpuInstances: positiveInt(1, 20).default(1),
  /**
   * Where GPU tasks run (processorCompute gpu). asg: an Auto Scaling group of gpuInstanceType from 0;
   * managed-instances / managed-instances-spot: ECS Managed Instances with NVIDIA GPUs, On-Demand or Spot.
   */
  gpuCapacity: z
    .enum(['asg', 'managed-instances', 'managed-instances-spot'], {
      message: 'expected asg, managed-instances or managed-instances-spot',
    })
    .default('asg'),
  /**
   * MAX_PROCESSOR_TASKS of the scaler: processor tasks at once, at most. Unset: `maxGpuInstances` on gpu
   * (one GPU per task), 2 on cpu.
   */
  maxProcessorTasks: positiveInt(1, 1000).optional(),
  /** BACKLOG_PER_TASK of the scaler: visible messages per processor task. */
  backlogPerTask: positiveInt(1, 1_000_000).default(100),
  /** destroy: buckets, table and logs go with the stack (for trials); retain: they stay. */
  removalPolicy: z.enum(['retain', 'destroy'], { message: 'expected retain or destroy' }).default('retain'),
  /** An existing SNS topic that the alarms notify; unset leaves the alarms without actions. */
  alarmTopicArn: z.string().startsWith('arn:').optional(),
  /** API 5xx answers in 5 minutes that raise the alarm. */
  api5xxAlarmThreshold: positiveInt(1, 100_000).default(5),
});

export type InfraConfig = z.output<typeof infraConfigSchema>;

export const infraContextKeys = Object.keys(infraConfigSchema.shape) as (keyof InfraConfig)[];

/** Parses context values (strings from `-c`, or JSON values from cdk.json) into the typed settings. */
export function parseInfraConfig(
  context: Readonly<Record<string, unknown>>,
  defaults: { region: string },
): InfraConfig {
  const picked: Record<string, unknown> = { ...defaults };
  for (const key of infraContextKeys) {
    const value = context[key];
    if (value !== undefined && value !== '') picked[key] = value;
  }
  const parsed = infraConfigSchema.safeParse(picked);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  -c ${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`invalid CDK context:\n${problems.join('\n')}`);
  }
  if (parsed.data.apiMaxTasks < parsed.data.apiMinTasks) {
    throw new Error('invalid CDK context:\n  -c apiMaxTasks: must not be below apiMinTasks');
  }
  return parsed.data;
}

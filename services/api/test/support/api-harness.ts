import type { AddressInfo } from 'node:net';
import { DeleteObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import {
  GetQueueAttributesCommand,
  PurgeQueueCommand,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { type LocalStack, startLocalStack } from '@photo-pipeline/local-stack';
import { apiConfigSchema, loadConfig } from '@photo-pipeline/shared/config';
import { type ImageUploadedV1, parseImageUploaded } from '@photo-pipeline/shared/contracts';
import { createLogger } from '@photo-pipeline/shared/log';
import { createMemoryMetrics } from '@photo-pipeline/test-support/metrics';
import type { FastifyInstance } from 'fastify';
import { buildApp, type CreatedDeps, createAppDeps } from '../../src/entry/app.ts';

export interface ApiHarness {
  readonly url: string;
  readonly stack: LocalStack;
  readonly app: FastifyInstance;
  readonly deps: CreatedDeps;
  readonly metrics: ReturnType<typeof createMemoryMetrics>;
  /** Names of S3 commands the API sent, in order (a recording middleware; requests still reach S3). */
  readonly s3Commands: string[];
  /** Objects under originals/ (what an upload stores). */
  countOriginals(): Promise<number>;
  countObjects(prefix: string): Promise<number>;
  /** Visible plus in-flight messages of the jobs queue. */
  countMessages(): Promise<number>;
  /** Receives (and leaves in flight) up to `max` messages. */
  receiveMessages(max?: number): Promise<ImageUploadedV1[]>;
  /** Empties the uploads bucket and the queue. */
  reset(): Promise<void>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  readonly env?: Record<string, string>;
  /** Reuse a running stack instead of starting one (it is then not stopped by close()). */
  readonly stack?: LocalStack;
  /** Collect the API's log lines (parsed JSON, at LOG_LEVEL, info unless set) here instead of discarding them. */
  readonly logLines?: Record<string, unknown>[];
}

/** A local stack and the API on a free loopback port, wired as server.ts wires them. */
export async function startApiHarness(options: HarnessOptions = {}): Promise<ApiHarness> {
  const ownStack = options.stack === undefined;
  const stack = options.stack ?? (await startLocalStack({ port: 0 }));
  const config = loadConfig(apiConfigSchema, {
    ...stack.serviceEnv(),
    PORT: '0',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? (options.logLines ? 'info' : 'silent'),
    RATE_LIMIT_PER_MINUTE: '0',
    ...options.env,
  });
  const metrics = createMemoryMetrics();
  const lines = options.logLines;
  const destination = lines ? { write: (line: string) => void lines.push(JSON.parse(line)) } : undefined;
  const logger = createLogger({
    service: 'api',
    level: config.LOG_LEVEL,
    ...(destination ? { destination } : {}),
  });
  const deps = createAppDeps(config, logger, { metrics });
  const s3Commands: string[] = [];
  deps.aws.s3.middlewareStack.add(
    (next, context) => async (args) => {
      s3Commands.push(String(context.commandName));
      return next(args);
    },
    { step: 'initialize', name: 'recordCommands' },
  );
  const app = await buildApp(deps);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  const s3: S3Client = deps.aws.s3;
  const sqs: SQSClient = deps.aws.sqs;
  const bucket = config.UPLOADS_BUCKET;
  const queueUrl = stack.resources.jobsQueueUrl;

  const listKeys = async (prefix: string): Promise<string[]> => {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await s3.send(
        new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
      );
      for (const object of page.Contents ?? []) if (object.Key) keys.push(object.Key);
      token = page.NextContinuationToken;
    } while (token);
    return keys;
  };

  return {
    url: `http://127.0.0.1:${port}`,
    stack,
    app,
    deps,
    metrics,
    s3Commands,
    countOriginals: async () => (await listKeys('originals/')).length,
    countObjects: async (prefix) => (await listKeys(prefix)).length,
    async countMessages() {
      const reply = await sqs.send(
        new GetQueueAttributesCommand({
          QueueUrl: queueUrl,
          AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
        }),
      );
      return (
        Number(reply.Attributes?.ApproximateNumberOfMessages ?? 0) +
        Number(reply.Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0)
      );
    },
    async receiveMessages(max = 10) {
      const reply = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          MaxNumberOfMessages: max,
          WaitTimeSeconds: 0,
          VisibilityTimeout: 30,
        }),
      );
      return (reply.Messages ?? []).map((message) => parseImageUploaded(message.Body));
    },
    async reset() {
      for (const key of await listKeys(''))
        await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
      await sqs.send(new PurgeQueueCommand({ QueueUrl: queueUrl }));
    },
    async close() {
      await app.close();
      deps.aws.destroy();
      if (ownStack) await stack.stop();
    },
  };
}

/** POSTs files (and fields) as multipart/form-data with fetch, like a browser form would. */
export async function postImages(
  url: string,
  files: readonly { name: string; bytes: Uint8Array; type?: string }[],
  options: { fields?: Record<string, string>; headers?: Record<string, string> } = {},
): Promise<{ status: number; headers: Headers; body: unknown }> {
  const form = new FormData();
  for (const [name, value] of Object.entries(options.fields ?? {})) form.append(name, value);
  for (const file of files) {
    form.append('file', new Blob([file.bytes], { type: file.type ?? 'application/octet-stream' }), file.name);
  }
  const response = await fetch(`${url}/v1/images`, {
    method: 'POST',
    body: form,
    headers: options.headers ?? {},
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // Not JSON: the test sees the text.
  }
  return { status: response.status, headers: response.headers, body };
}

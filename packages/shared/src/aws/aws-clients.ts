import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { AwsEnv } from '../config/common-env.ts';
import { signWithGivenSha256 } from './payload-hash.ts';

export interface AwsClients {
  readonly s3: S3Client;
  readonly sqs: SQSClient;
  readonly dynamo: DynamoDBClient;
  /** The document client over `dynamo`, with plain JS values in and out. */
  readonly documents: DynamoDBDocumentClient;
  destroy(): void;
}

export interface AwsClientOptions {
  /** Sockets per client; size to the concurrency of the process. */
  readonly maxSockets?: number;
  /** Fail fast when an endpoint does not accept connections, so callers can answer 503 quickly. */
  readonly connectionTimeoutMs?: number;
  readonly requestTimeoutMs?: number;
  readonly maxAttempts?: number;
  /** Fixed credentials (the local stack's); otherwise the SDK's default provider chain. */
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
}

/**
 * Makes the process's AWS clients once, from configuration. Endpoints follow the SDK's own variables:
 * the service-specific one (AWS_ENDPOINT_URL_S3, ...) wins over AWS_ENDPOINT_URL; neither means AWS.
 */
export function createAwsClients(aws: AwsEnv, options: AwsClientOptions = {}): AwsClients {
  const handler = () =>
    new NodeHttpHandler({
      httpAgent: new HttpAgent({ keepAlive: true, maxSockets: options.maxSockets ?? 64 }),
      httpsAgent: new HttpsAgent({ keepAlive: true, maxSockets: options.maxSockets ?? 64 }),
      connectionTimeout: options.connectionTimeoutMs ?? 3_000,
      requestTimeout: options.requestTimeoutMs ?? 0,
    });
  const common = {
    region: aws.AWS_REGION,
    ...(options.maxAttempts === undefined ? {} : { maxAttempts: options.maxAttempts }),
    ...(options.credentials ? { credentials: options.credentials } : {}),
  };
  const s3Endpoint = aws.AWS_ENDPOINT_URL_S3 ?? aws.AWS_ENDPOINT_URL;
  const sqsEndpoint = aws.AWS_ENDPOINT_URL_SQS ?? aws.AWS_ENDPOINT_URL;
  const dynamoEndpoint = aws.AWS_ENDPOINT_URL_DYNAMODB ?? aws.AWS_ENDPOINT_URL;

  const s3 = new S3Client({
    ...common,
    requestHandler: handler(),
    forcePathStyle: aws.S3_FORCE_PATH_STYLE,
    ...(s3Endpoint ? { endpoint: s3Endpoint } : {}),
  });
  signWithGivenSha256(s3);
  const sqs = new SQSClient({
    ...common,
    requestHandler: handler(),
    ...(sqsEndpoint ? { endpoint: sqsEndpoint } : {}),
  });
  const dynamo = new DynamoDBClient({
    ...common,
    requestHandler: handler(),
    ...(dynamoEndpoint ? { endpoint: dynamoEndpoint } : {}),
  });
  const documents = DynamoDBDocumentClient.from(dynamo, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
  return {
    s3,
    sqs,
    dynamo,
    documents,
    destroy() {
      s3.destroy();
      sqs.destroy();
      documents.destroy();
      dynamo.destroy();
    },
  };
}

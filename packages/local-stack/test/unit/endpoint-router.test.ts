import { describe, expect, it } from 'vitest';
import { serviceOf } from '../../src/endpoint-router.ts';

describe('endpoint routing', () => {
  it('sends the DynamoDB JSON protocol to DynamoDB', () => {
    expect(serviceOf({ 'x-amz-target': 'DynamoDB_20120810.PutItem' })).toBe('dynamodb');
  });

  it('sends the SQS JSON protocol to SQS', () => {
    expect(serviceOf({ 'x-amz-target': 'AmazonSQS.SendMessage' })).toBe('sqs');
  });

  it('sends everything else (S3 REST) to S3', () => {
    expect(serviceOf({})).toBe('s3');
    expect(serviceOf({ 'content-type': 'application/xml' })).toBe('s3');
  });
});

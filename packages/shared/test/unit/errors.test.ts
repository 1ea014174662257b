import { describe, expect, it } from 'vitest';
import { classifyAwsError } from '../../src/aws/classify-aws-error.ts';
import { appError, PermanentError, RetryableError, toAppError } from '../../src/errors/app-error.ts';
import { errorCatalogue } from '../../src/errors/error-codes.ts';

describe('error model', () => {
  it('makes retryable and permanent errors as the catalogue classifies their codes', () => {
    expect(appError('DEPENDENCY_UNAVAILABLE', 'S3 down')).toBeInstanceOf(RetryableError);
    expect(appError('IMAGE_CORRUPT', 'truncated')).toBeInstanceOf(PermanentError);
  });

  it('maps codes to HTTP statuses and exit codes from one table', () => {
    const error = appError('UNSUPPORTED_MEDIA_TYPE', 'not an image');
    expect(error.httpStatus).toBe(415);
    expect(toAppError(appError('NOT_FOUND', 'x')).exitCode).toBe(3);
    expect(toAppError(new Error('boom')).exitCode).toBe(errorCatalogue.INTERNAL.exitCode);
  });

  it('keeps the cause of a wrapped failure', () => {
    const cause = new Error('socket hang up');
    expect(toAppError(cause).cause).toBe(cause);
  });

  it('classifies a refused connection as a retryable dependency failure', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:4566'), { code: 'ECONNREFUSED' });
    const classified = classifyAwsError(refused, 'sending to SQS');
    expect(classified).toBeInstanceOf(RetryableError);
    expect(classified.code).toBe('DEPENDENCY_UNAVAILABLE');
    expect(classified.message).toContain('sending to SQS');
  });

  it('classifies a client error (HTTP 400) as permanent', () => {
    const denied = Object.assign(new Error('bad request'), {
      name: 'ValidationException',
      $metadata: { httpStatusCode: 400 },
    });
    expect(classifyAwsError(denied, 'writing a row')).toBeInstanceOf(PermanentError);
  });

  it('classifies refusals by AWS as DEPENDENCY_FAILED (502), and anything else as INTERNAL', () => {
    const missingBucket = Object.assign(new Error('The specified bucket does not exist'), {
      name: 'NoSuchBucket',
      $fault: 'client',
      $metadata: { httpStatusCode: 404 },
    });
    const noCredentials = Object.assign(new Error('Could not load credentials from any providers'), {
      name: 'CredentialsProviderError',
    });
    for (const refusal of [missingBucket, noCredentials]) {
      const classified = classifyAwsError(refusal, 'storing s3://b/k');
      expect(classified).toMatchObject({ code: 'DEPENDENCY_FAILED', httpStatus: 502, retryable: false });
      expect(classified.message).toContain('storing s3://b/k: ');
    }
    expect(classifyAwsError(missingBucket, 'x').message).toContain('NoSuchBucket: The specified bucket');
    expect(classifyAwsError(new TypeError('x is undefined'), 'storing').code).toBe('INTERNAL');
  });

  it('turns missing credentials into a hint naming the export line `npm start` prints', () => {
    const noCredentials = Object.assign(new Error('Could not load credentials from any providers'), {
      name: 'CredentialsProviderError',
    });

    const classified = classifyAwsError(noCredentials, 'reading result rows');

    expect(classified.code).toBe('DEPENDENCY_FAILED');
    expect(classified.message).toContain('reading result rows: no AWS credentials found');
    expect(classified.message).toContain(
      'export AWS_ENDPOINT_URL=http://127.0.0.1:4566 AWS_REGION=us-east-1 AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test',
    );
    expect(classified.message).toContain('AWS_PROFILE');
    expect(classified.cause).toBe(noCredentials);
  });

  it('classifies throttling as retryable', () => {
    const throttled = Object.assign(new Error('slow down'), {
      name: 'ThrottlingException',
      $metadata: { httpStatusCode: 400 },
    });
    expect(classifyAwsError(throttled, 'x').retryable).toBe(true);
  });
});

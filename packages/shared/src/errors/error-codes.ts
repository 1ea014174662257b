/**
 * Every stable error code of the pipeline, with what it means for each edge: the HTTP status the API
 * answers, the exit code a CLI returns, and whether the failure is worth retrying. This table is the
 * one place these mappings live; edges look codes up here rather than deciding case by case.
 */
export const errorCatalogue = {
  CONFIG_INVALID: {
    httpStatus: 500,
    exitCode: 2,
    retryable: false,
    summary: 'configuration is missing or invalid',
  },
  INVALID_ARGUMENT: {
    httpStatus: 400,
    exitCode: 2,
    retryable: false,
    summary: 'a request or argument is malformed',
  },
  UNAUTHORIZED: { httpStatus: 401, exitCode: 2, retryable: false, summary: 'missing or wrong API key' },
  NOT_FOUND: {
    httpStatus: 404,
    exitCode: 3,
    retryable: false,
    summary: 'the thing asked for does not exist',
  },
  PAYLOAD_TOO_LARGE: {
    httpStatus: 413,
    exitCode: 1,
    retryable: false,
    summary: 'a file or request is over a size limit',
  },
  TOO_MANY_FILES: {
    httpStatus: 413,
    exitCode: 1,
    retryable: false,
    summary: 'too many files or fields in one request',
  },
  UNSUPPORTED_MEDIA_TYPE: {
    httpStatus: 415,
    exitCode: 1,
    retryable: false,
    summary: 'the bytes are not a supported image format',
  },
  IMAGE_TOO_MANY_PIXELS: {
    httpStatus: 422,
    exitCode: 1,
    retryable: false,
    summary: 'the image is over the pixel limit',
  },
  IMAGE_CORRUPT: {
    httpStatus: 422,
    exitCode: 1,
    retryable: false,
    summary: 'the image cannot be decoded (corrupt, truncated or empty)',
  },
  MESSAGE_INVALID: {
    httpStatus: 400,
    exitCode: 1,
    retryable: false,
    summary: 'a queue message does not match its contract',
  },
  OBJECT_MISSING: {
    httpStatus: 404,
    exitCode: 1,
    retryable: false,
    summary: 'the uploaded object no longer exists',
  },
  MODEL_CONTRACT_VIOLATION: {
    httpStatus: 500,
    exitCode: 2,
    retryable: false,
    summary: 'the ONNX model does not honour the contract',
  },
  EXECUTION_PROVIDER_UNAVAILABLE: {
    httpStatus: 500,
    exitCode: 2,
    retryable: false,
    summary: 'the requested execution provider cannot be used',
  },
  IDEMPOTENCY_KEY_IN_USE: {
    httpStatus: 409,
    exitCode: 1,
    retryable: true,
    summary: 'a request with the same Idempotency-Key is still in progress',
  },
  IDEMPOTENCY_KEY_REUSED: {
    httpStatus: 422,
    exitCode: 1,
    retryable: false,
    summary: 'the Idempotency-Key was used before with a different request (other files or batch id)',
  },
  REQUEST_TIMEOUT: {
    httpStatus: 408,
    exitCode: 1,
    retryable: true,
    summary: 'the request did not arrive in full within the time allowed',
  },
  REQUEST_HEADERS_TOO_LARGE: {
    httpStatus: 431,
    exitCode: 1,
    retryable: false,
    summary: 'the request headers are over the size limit',
  },
  RATE_LIMITED: { httpStatus: 429, exitCode: 1, retryable: true, summary: 'too many requests; retry later' },
  OVERLOADED: {
    httpStatus: 503,
    exitCode: 1,
    retryable: true,
    summary: 'the service is under pressure; retry later',
  },
  DEPENDENCY_UNAVAILABLE: {
    httpStatus: 503,
    exitCode: 1,
    retryable: true,
    summary: 'S3, SQS or DynamoDB is unreachable or throttling',
  },
  DEPENDENCY_FAILED: {
    httpStatus: 502,
    exitCode: 1,
    retryable: false,
    summary: 'S3, SQS or DynamoDB refused a request (missing resource, access denied, bad request)',
  },
  RESULT_ROW_INVALID: {
    httpStatus: 500,
    exitCode: 1,
    retryable: false,
    summary: 'a stored result row does not match the result row contract',
  },
  REPORT_WRITE_FAILED: {
    httpStatus: 500,
    exitCode: 1,
    retryable: false,
    summary: 'a report could not be written to its local folder',
  },
  CHECKSUM_MISMATCH: {
    httpStatus: 502,
    exitCode: 1,
    retryable: false,
    summary: 'downloaded bytes do not match the size or SHA-256 recorded in the result row',
  },
  LOCAL_WRITE_FAILED: {
    httpStatus: 500,
    exitCode: 1,
    retryable: false,
    summary: 'a file could not be written to its local folder',
  },
  UPLOAD_ABORTED: {
    httpStatus: 400,
    exitCode: 1,
    retryable: true,
    summary: 'the client went away before the upload finished',
  },
  STACK_PORT_IN_USE: {
    httpStatus: 500,
    exitCode: 1,
    retryable: false,
    summary: 'the local stack port is already taken',
  },
  STACK_DATA_DIR_IN_USE: {
    httpStatus: 500,
    exitCode: 1,
    retryable: false,
    summary: 'another local stack uses the data folder',
  },
  STACK_EMULATOR_FAILED: {
    httpStatus: 500,
    exitCode: 1,
    retryable: false,
    summary: 'an embedded AWS emulator failed',
  },
  STACK_PROVISION_FAILED: {
    httpStatus: 500,
    exitCode: 1,
    retryable: false,
    summary: 'a local resource could not be created',
  },
  STACK_SERVICE_FAILED: {
    httpStatus: 500,
    exitCode: 1,
    retryable: false,
    summary: 'a service under pnpm start (the upload API or a processor) failed to start or stopped',
  },
  API_PORT_IN_USE: {
    httpStatus: 500,
    exitCode: 1,
    retryable: false,
    summary: "the upload API's port under pnpm start is already taken",
  },
  API_UNREACHABLE: {
    httpStatus: 503,
    exitCode: 2,
    retryable: false,
    summary: 'the upload client cannot reach the upload API at its endpoint',
  },
  INTERNAL: { httpStatus: 500, exitCode: 1, retryable: false, summary: 'an unexpected failure' },
} as const satisfies Record<string, ErrorCodeInfo>;

export interface ErrorCodeInfo {
  readonly httpStatus: number;
  readonly exitCode: number;
  readonly retryable: boolean;
  readonly summary: string;
}

export type ErrorCode = keyof typeof errorCatalogue;

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(errorCatalogue, value);
}

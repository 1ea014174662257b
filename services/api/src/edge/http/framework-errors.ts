import { type AppError, appError, isAppError, toAppError } from '@photo-pipeline/shared/errors';

/** Codes of errors raised by fastify and its plugins, as pipeline error codes. */
const frameworkCodes: Record<string, Parameters<typeof appError>[0]> = {
  FST_FILES_LIMIT: 'TOO_MANY_FILES',
  FST_PARTS_LIMIT: 'TOO_MANY_FILES',
  FST_FIELDS_LIMIT: 'TOO_MANY_FILES',
  FST_REQ_FILE_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_MP_PREMATURE_CLOSE: 'UPLOAD_ABORTED',
  FST_PROTO_VIOLATION: 'INVALID_ARGUMENT',
  FST_INVALID_JSON_FIELD_ERROR: 'INVALID_ARGUMENT',
  FST_INVALID_MULTIPART_CONTENT_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'INVALID_ARGUMENT',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'INVALID_ARGUMENT',
  FST_ERR_VALIDATION: 'INVALID_ARGUMENT',
  FST_ERR_BAD_URL: 'INVALID_ARGUMENT',
  FST_ERR_MAX_PARAM_LENGTH: 'INVALID_ARGUMENT',
};

const messages: Partial<Record<string, string>> = {
  FST_FILES_LIMIT: 'too many files in one request',
  FST_PARTS_LIMIT: 'too many parts in one request',
  FST_FIELDS_LIMIT: 'too many fields in one request',
  FST_INVALID_MULTIPART_CONTENT_TYPE: 'the request must be multipart/form-data',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'the request must be multipart/form-data',
  FST_MP_PREMATURE_CLOSE: 'the client closed the connection before the upload finished',
};

/**
 * Any error reaching the HTTP edge as an AppError: ours pass through, fastify's and the multipart
 * parser's are mapped by their code, busboy's malformed-body errors become INVALID_ARGUMENT.
 */
export function toHttpError(
  error: unknown,
  limits: { maxFilesPerRequest: number; maxFieldsPerRequest: number },
): AppError {
  if (isAppError(error)) return error;
  const code = error && typeof error === 'object' && 'code' in error ? String(error.code) : undefined;
  const message = error instanceof Error ? error.message : String(error);
  if (code && frameworkCodes[code]) {
    const details =
      code === 'FST_FILES_LIMIT'
        ? { maxFilesPerRequest: limits.maxFilesPerRequest }
        : code === 'FST_FIELDS_LIMIT'
          ? { maxFieldsPerRequest: limits.maxFieldsPerRequest }
          : undefined;
    return appError(frameworkCodes[code], messages[code] ?? message, {
      cause: error,
      ...(details ? { details } : {}),
    });
  }
  if (/multipart|boundary|part terminated|unexpected end of form/i.test(message)) {
    return appError('INVALID_ARGUMENT', `malformed multipart body: ${message}`, { cause: error });
  }
  return toAppError(error);
}

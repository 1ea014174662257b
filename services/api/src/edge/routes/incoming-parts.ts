import type { FastifyRequest } from 'fastify';
import type { IncomingPart } from '../../core/upload/incoming-part.ts';
import type { UploadLimits } from '../../core/upload/upload-limits.ts';
import { toHttpError } from '../http/framework-errors.ts';

/** The multipart parts of a request as IncomingParts, with the parser's limit errors as AppErrors. */
export async function* incomingParts(
  request: FastifyRequest,
  limits: UploadLimits,
): AsyncGenerator<IncomingPart> {
  try {
    const parts = request.parts({
      limits: {
        // One byte over the limit reaches the image check, which refuses the file with its own message.
        fileSize: limits.maxUploadBytes + 1,
        files: limits.maxFilesPerRequest,
        fields: limits.maxFieldsPerRequest,
        fieldSize: limits.maxFieldBytes,
        parts: limits.maxFilesPerRequest + limits.maxFieldsPerRequest,
        headerPairs: 64,
      },
    });
    for await (const part of parts) {
      if (part.type === 'file') {
        yield { kind: 'file', fieldName: part.fieldname, filename: part.filename ?? '', stream: part.file };
      } else {
        yield {
          kind: 'field',
          name: part.fieldname,
          value: String(part.value),
          truncated: part.valueTruncated,
        };
      }
    }
  } catch (error) {
    throw toHttpError(error, limits);
  }
}

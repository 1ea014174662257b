import type { S3Client } from '@aws-sdk/client-s3';

/** The SigV4 header that carries the payload hash; the signer hashes the body only when it is absent. */
const payloadHashHeader = 'x-amz-content-sha256';

/**
 * Lets S3 requests that carry a SHA-256 checksum of an in-memory body (PutObject, UploadPart with
 * `ChecksumSHA256`) be signed with that digest as the payload hash, instead of the signer hashing the
 * same bytes a second time. S3 checks both the signed payload hash and the checksum against the body,
 * so integrity holds as before; a wrong digest is refused (XAmzContentSHA256Mismatch, BadDigest).
 * Streaming bodies are left alone (they are signed as unsigned payload with a trailing checksum).
 */
export function signWithGivenSha256(s3: S3Client): void {
  s3.middlewareStack.add(
    (next) => async (args) => {
      setPayloadHash(args.input, args.request);
      return next(args);
    },
    { step: 'build', name: 'signWithGivenSha256', override: true },
  );
}

function setPayloadHash(input: object, request: unknown): void {
  const checksum = 'ChecksumSHA256' in input ? input.ChecksumSHA256 : undefined;
  if (typeof checksum !== 'string' || !isInMemoryBodyRequest(request)) return;
  if (request.headers[payloadHashHeader] !== undefined) return;
  const digest = Buffer.from(checksum, 'base64');
  if (digest.length !== 32) return;
  request.headers[payloadHashHeader] = digest.toString('hex');
}

function isInMemoryBodyRequest(
  request: unknown,
): request is { headers: Record<string, string | undefined>; body: ArrayBufferView | string } {
  if (typeof request !== 'object' || request === null) return false;
  const { headers, body } = request as { headers?: unknown; body?: unknown };
  return (
    typeof headers === 'object' && headers !== null && (typeof body === 'string' || ArrayBuffer.isView(body))
  );
}

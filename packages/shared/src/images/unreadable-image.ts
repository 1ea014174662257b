import { PermanentError } from '../errors/app-error.ts';
import { sniffImageType } from './image-sniff.ts';

/**
 * The one rule for bytes that cannot be read as an image, used by the API's header check and the
 * processor's decoder alike: no bytes, or bytes whose magic numbers name an image format, are
 * IMAGE_CORRUPT (a damaged or truncated image); bytes that name no image format are
 * UNSUPPORTED_MEDIA_TYPE. So the same file gets the same code wherever it is refused.
 */
export function unreadableImageError(
  head: Uint8Array,
  reason: string,
  options: { readonly cause?: unknown; readonly accepted?: readonly string[] } = {},
): PermanentError {
  if (head.length === 0) return new PermanentError('IMAGE_CORRUPT', 'the file is empty (0 bytes)');
  const sniffed = sniffImageType(head);
  if (sniffed) {
    return new PermanentError('IMAGE_CORRUPT', `the ${sniffed} image is corrupt: ${reason}`, {
      cause: options.cause,
      details: { contentType: sniffed },
    });
  }
  const accepted = options.accepted ? ` (accepted: ${options.accepted.join(', ')})` : '';
  return new PermanentError('UNSUPPORTED_MEDIA_TYPE', `the file is not a supported image${accepted}`, {
    cause: options.cause,
  });
}

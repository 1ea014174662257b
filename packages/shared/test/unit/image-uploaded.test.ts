import { describe, expect, it } from 'vitest';
import { parseImageUploaded, serializeImageUploaded } from '../../src/contracts/image-uploaded.ts';
import { PermanentError } from '../../src/errors/app-error.ts';
import { anImageUploadedMessage } from './builders.ts';

function parseFailure(body: string): PermanentError {
  try {
    parseImageUploaded(body);
  } catch (error) {
    if (error instanceof PermanentError) return error;
    throw error;
  }
  throw new Error('expected the message to be refused');
}

describe('ImageUploaded v1 message', () => {
  it('round-trips a valid message through its JSON body', () => {
    const message = anImageUploadedMessage();
    const parsed = parseImageUploaded(JSON.stringify(message));
    expect(parsed).toEqual(message);
    expect(parseImageUploaded(serializeImageUploaded(parsed))).toEqual(message);
  });

  it('writes any file name in printable ASCII only, and gives it back exactly', () => {
    const originalName = 'smile \u{1F600} caf\u00e9 \uFFFF tab\t.jpg';
    const message = parseImageUploaded(JSON.stringify(anImageUploadedMessage({ originalName })));

    const body = serializeImageUploaded(message);

    expect(body).toMatch(/^[\x20-\x7e]*$/);
    expect(body).toContain('\\ud83d\\ude00');
    expect(parseImageUploaded(body).originalName).toBe(originalName);
  });

  it('refuses a message without an imageId, naming the field', () => {
    const { imageId: _omitted, ...withoutId } = anImageUploadedMessage();
    const error = parseFailure(JSON.stringify(withoutId));
    expect(error.code).toBe('MESSAGE_INVALID');
    expect(error.message).toContain('imageId');
    expect(error.retryable).toBe(false);
  });

  it('refuses another version, naming the version field', () => {
    const error = parseFailure(JSON.stringify(anImageUploadedMessage({ version: 2 })));
    expect(error.message).toContain('version');
  });

  it('refuses a content type that was not sniffed as a supported image', () => {
    const error = parseFailure(JSON.stringify(anImageUploadedMessage({ contentType: 'text/plain' })));
    expect(error.message).toContain('contentType');
  });

  it('refuses a malformed sha256 and a negative size, naming both', () => {
    const error = parseFailure(JSON.stringify(anImageUploadedMessage({ sha256: 'xyz', bytes: -1 })));
    expect(error.message).toContain('sha256');
    expect(error.message).toContain('bytes');
  });

  it('refuses a key other than the one derived from the imageId, naming the key', () => {
    const other = anImageUploadedMessage();
    const error = parseFailure(JSON.stringify({ ...anImageUploadedMessage(), key: other.key }));
    expect(error.code).toBe('MESSAGE_INVALID');
    expect(error.message).toContain('key: must be the key derived from imageId');
    const valid = parseImageUploaded(JSON.stringify(other));
    expect(() => serializeImageUploaded({ ...valid, key: 'originals/../elsewhere' })).toThrow();
  });

  it('refuses a body that is not JSON with a permanent error', () => {
    const error = parseFailure('{not json');
    expect(error.code).toBe('MESSAGE_INVALID');
    expect(error.message).toBe('message body is not JSON');
  });

  it('refuses a batch id that could escape an object key', () => {
    const error = parseFailure(JSON.stringify(anImageUploadedMessage({ batchId: '../etc' })));
    expect(error.message).toContain('batchId');
  });

  it('ignores unknown extra fields so additive changes stay compatible', () => {
    const parsed = parseImageUploaded(JSON.stringify({ ...anImageUploadedMessage(), futureField: 1 }));
    expect(parsed).not.toHaveProperty('futureField');
  });
});

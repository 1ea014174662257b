import { Transform } from 'node:stream';
import { PermanentError } from '@photo-pipeline/shared/errors';
import type { ImageCheck } from './image-check.ts';

/**
 * An ImageCheck as a stream: nothing leaves it until the header is accepted, so a refused file never
 * reaches storage; a refusal (type, pixels, byte limit) fails the stream. `check` may already have seen
 * the start of the file (the rest of it then goes through here); its `header` and `summary()` say what
 * passed.
 */
export function createCheckedStream(check: ImageCheck): Transform {
  const pass = (stream: Transform, outcome: readonly Buffer[] | PermanentError) => {
    if (outcome instanceof PermanentError) return outcome;
    for (const chunk of outcome) stream.push(chunk);
    return undefined;
  };
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      callback(pass(this, check.write(chunk)));
    },
    flush(callback) {
      callback(pass(this, check.end()));
    },
  });
}

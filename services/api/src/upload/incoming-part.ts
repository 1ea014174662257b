import type { Readable } from 'node:stream';

/** One part of an upload request, independent of the HTTP library that parsed it. */
export type IncomingPart =
  | { readonly kind: 'field'; readonly name: string; readonly value: string; readonly truncated: boolean }
  | {
      readonly kind: 'file';
      readonly fieldName: string;
      readonly filename: string;
      readonly stream: Readable;
    };

/** Reads and discards every remaining part, so the request body is consumed. */
export async function drainParts(parts: AsyncIterable<IncomingPart>): Promise<void> {
  for await (const part of parts) {
    if (part.kind === 'file') {
      part.stream.resume();
      await new Promise<void>((resolve, reject) => {
        part.stream.once('end', resolve);
        part.stream.once('error', reject);
      });
    }
  }
}

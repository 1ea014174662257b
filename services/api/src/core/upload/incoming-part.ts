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

import { Readable } from 'node:stream';

/**
 * A request body whose bytes are all in memory already, as the chunks they arrived in: sent one after
 * the other instead of being copied into one Buffer first (a copy and a fresh allocation per file).
 * Its length is known, so `signWithGivenSha256` treats it like a Buffer body.
 */
export class InMemoryBody extends Readable {
  readonly byteLength: number;
  readonly #chunks: readonly Buffer[];
  #next = 0;

  constructor(chunks: readonly Buffer[]) {
    super();
    this.#chunks = chunks;
    this.byteLength = chunks.reduce((sum, chunk) => sum + chunk.length, 0);
  }

  override _read(): void {
    const chunk = this.#chunks[this.#next];
    this.#next += 1;
    this.push(chunk ?? null);
  }
}

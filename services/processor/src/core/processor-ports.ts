import type { ExecutionProvider, ResultRow } from '@photo-pipeline/shared/contracts';
import type { ForegroundMask } from './model/mask.ts';
import type { ManifestSource } from './model/model-manifest.ts';

/*
 * What the processor's use case needs from the outside world; the adapters (S3, DynamoDB, onnxruntime)
 * implement these.
 */

export interface ObjectStore {
  /** The object's bytes; a missing object or bucket is OBJECT_MISSING, transient failures retryable. */
  get(bucket: string, key: string): Promise<Buffer>;
  put(bucket: string, key: string, body: Buffer, contentType: string): Promise<void>;
}

export type PutOutcome = 'written' | 'already-exists';

export interface ResultRepository {
  /** Whether the image already has its row (a strongly consistent read). */
  exists(imageId: string): Promise<boolean>;
  /**
   * Writes the image's row only if it has none yet, so a redelivered or concurrently processed message
   * can never replace it with a second, different row. A row that breaks the contract is refused as
   * RESULT_ROW_INVALID before anything is written.
   */
  putOnce(row: ResultRow): Promise<PutOutcome>;
}

export interface ModelOutput {
  /** 255 - x per channel, RGB interleaved, width x height x 3 bytes; valid until `release()`. */
  readonly inverted: Buffer;
  readonly foregroundPx: number;
  /** The foreground mask at the image's size, for models whose manifest declares a `mask` output. */
  readonly mask?: ForegroundMask;
  /** Returns the output buffer to the pool once the inverted image has been encoded. */
  release(): void;
}

export interface InferenceModel {
  readonly name: string;
  /** The manifest's version, else `digest`. */
  readonly version: string;
  /** The first 12 hex digits of the model file's SHA-256: every change to the file is a new digest. */
  readonly digest: string;
  readonly path: string;
  /** The contract the model follows, and where its manifest came from. */
  readonly contract: { readonly version: 1 | 2; readonly manifest: ManifestSource };
  /** Where each node ran in a profiled warm-up run (under CUDA), or why that is unknown. */
  readonly placement: PlacementReport | undefined;
  readonly executionProvider: ExecutionProvider;
  /** Rows per inference run; 0 means the whole image at once. */
  readonly tileRows: number;
  /** Why this provider was chosen, for the start-up log. */
  readonly providerReason: string;
  /**
   * With `inPlace`, the returned `inverted` is `rgb` itself, overwritten. Runs are taken one image at a
   * time, in call order; a failed run does not hold up the next.
   */
  run(rgb: Uint8Array, width: number, height: number): Promise<ModelOutput>;
  release(): Promise<void>;
}

/** The nodes that ran outside the chosen provider (under CUDA: fell back to the CPU). */
export type PlacementReport =
  | { readonly kind: 'profiled'; readonly nodes: number; readonly outside: readonly NodePlacement[] }
  | { readonly kind: 'unknown'; readonly reason: string };

/** Where onnxruntime ran one node of the graph. */
export interface NodePlacement {
  readonly node: string;
  readonly op: string;
  readonly provider: string;
}

import type { ResultRow } from '@photo-pipeline/shared/contracts';

/*
 * What the results use cases need of the outside world: src/adapters implements these on S3, SQS and
 * sharp, src/entry builds them once per process, src/edge shows progress.
 */

/** Where long work reports how far it got; the CLI writes to stderr, the library default says nothing. */
export interface Progress {
  update(message: string): void;
  done(message?: string): void;
}

export const silentProgress: Progress = { update() {}, done() {} };

/** A thumbnail as an embeddable data URI, or why there is none (shown in the report instead). */
export type Thumbnail =
  | { readonly dataUri: string; readonly width: number; readonly height: number }
  | { readonly missing: string };

export interface ImageThumbnails {
  readonly before: Thumbnail;
  /** Absent for FAILED images, which have no processed output. */
  readonly after?: Thumbnail;
  /** The foreground mask, for images processed by a model with a mask output. */
  readonly mask?: Thumbnail;
}

export interface ThumbnailRequest {
  /** Longest side in pixels. */
  readonly sizePx: number;
  readonly progress: Progress;
}

export interface ThumbnailMaker {
  /**
   * Before/after (and mask) thumbnails of each row, by image id. A picture that cannot be made (object
   * missing, too large, not decodable) is a `missing` thumbnail saying why, never a failure.
   */
  thumbnailsOf(rows: readonly ResultRow[], request: ThumbnailRequest): Promise<Map<string, ImageThumbnails>>;
}

/** An original in the uploads bucket, as listed. */
export interface ListedOriginal {
  readonly key: string;
  readonly bytes: number;
  readonly lastModified: Date;
}

/** The uploads bucket, as far as an orphan sweep needs it. */
export interface UploadsInventory {
  /** Every object under `originals/`, page by page. */
  originals(): AsyncIterable<ListedOriginal>;
  /**
   * The image ids the API's Idempotency-Key markers still hold (their files wait for a retry). A marker
   * that cannot be read is an error: what it holds cannot be known.
   */
  imageIdsHeldByMarkers(): Promise<ReadonlySet<string>>;
  deleteObjects(keys: readonly string[]): Promise<void>;
}

/** What the jobs queue and its DLQ hold, as far as an orphan sweep needs to know. */
export interface QueuedMessages {
  /** Messages in the jobs queue and the DLQ: waiting, in flight or delayed (SQS's approximate counts). */
  readonly count: number;
  /** The longest either queue keeps a message (its MessageRetentionPeriod). */
  readonly longestRetentionMs: number;
}

export interface QueueInventory {
  /** Reads the jobs queue and the DLQ its redrive policy names. */
  queuedMessages(): Promise<QueuedMessages>;
}

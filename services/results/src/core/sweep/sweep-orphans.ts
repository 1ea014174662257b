import { type ImageId, imageIdSchema, objectKeys } from '@photo-pipeline/shared/contracts';
import type { ResultsStore } from '@photo-pipeline/shared/results-store';
import type { ListedOriginal, QueueInventory, UploadsInventory } from '../results-ports.ts';

/**
 * How long after its original was stored a message for it can still be sent: within the upload request
 * (REQUEST_TIMEOUT_MS, 15 min) or by a retry under an Idempotency-Key while its marker exists (24 h; those
 * files are kept anyway). A day covers both.
 */
export const latestMessageAfterUploadMs = 24 * 3_600_000;

/** What a sweep reads and deletes: the uploads bucket, the queues and the result rows. */
export interface SweepDeps {
  readonly uploads: UploadsInventory;
  readonly queues: QueueInventory;
  readonly store: Pick<ResultsStore, 'getImageStatuses'>;
}

export interface SweepSettings {
  /** Originals stored before this time are looked at. */
  readonly storedBefore: Date;
  readonly now: Date;
  /** Delete the orphans found (else only report them). */
  readonly delete: boolean;
}

export type OrphanState = 'deleted' | 'found' | 'held';

export interface Orphan extends ListedOriginal {
  readonly imageId: ImageId;
  /** deleted; found (reported, not deleted); held (messages are queued, one may still name it). */
  readonly state: OrphanState;
}

export interface SweepReport {
  /** Originals stored before the cut-off that were checked. */
  readonly checked: number;
  /** Messages in the jobs queue and the DLQ when the sweep began. */
  readonly queuedMessages: number;
  readonly orphans: readonly Orphan[];
}

/**
 * Finds uploads that were stored but never queued (a rollback that failed in an outage): originals older
 * than the cut-off with no result row and no Idempotency-Key marker holding them, when no message can name
 * them. SQS cannot be searched, so "no message" is known only when the jobs queue and the DLQ are empty,
 * or when the original is older than any message could be (the longest retention plus a day); other
 * candidates are reported as `held` and never deleted. The queues are read first: a message gone by then
 * was processed (its row exists) or dropped.
 */
export async function sweepOrphans(
  { uploads, queues, store }: SweepDeps,
  settings: SweepSettings,
): Promise<SweepReport> {
  const queued = await queues.queuedMessages();
  const heldByMarkers = await uploads.imageIdsHeldByMarkers();
  const noMessageBefore = settings.now.getTime() - queued.longestRetentionMs - latestMessageAfterUploadMs;

  let checked = 0;
  const orphans: Orphan[] = [];
  let pending: { imageId: ImageId; object: ListedOriginal }[] = [];
  const flush = async () => {
    const statuses = await store.getImageStatuses(pending.map((candidate) => candidate.imageId));
    for (const [index, status] of statuses.entries()) {
      const candidate = pending[index];
      if (candidate === undefined || status.status !== 'PENDING') continue;
      const messagePossible = queued.count > 0 && candidate.object.lastModified.getTime() >= noMessageBefore;
      orphans.push({
        ...candidate.object,
        imageId: candidate.imageId,
        state: messagePossible ? 'held' : settings.delete ? 'deleted' : 'found',
      });
    }
    pending = [];
  };

  for await (const object of uploads.originals()) {
    if (object.lastModified >= settings.storedBefore) continue;
    const imageId = imageIdSchema.safeParse(object.key.slice(objectKeys.originalsPrefix.length));
    if (!imageId.success || heldByMarkers.has(imageId.data)) continue;
    checked += 1;
    pending.push({ imageId: imageId.data, object });
    if (pending.length === 100) await flush();
  }
  if (pending.length > 0) await flush();

  const toDelete = orphans.filter((orphan) => orphan.state === 'deleted').map((orphan) => orphan.key);
  await uploads.deleteObjects(toDelete);
  return { checked, queuedMessages: queued.count, orphans };
}

import { type ImageId, newImageId, objectKeys, type ResultRow } from '@photo-pipeline/shared/contracts';
import type { ImageStatusEntry } from '@photo-pipeline/shared/results-store';
import { rowFor } from '@photo-pipeline/test-support/result-rows';
import { describe, expect, it } from 'vitest';
import type { ListedOriginal, QueuedMessages } from '../../src/core/results-ports.ts';
import {
  latestMessageAfterUploadMs,
  type SweepDeps,
  sweepOrphans,
} from '../../src/core/sweep/sweep-orphans.ts';

const now = new Date('2026-12-05T12:00:00Z');
const hourMs = 3_600_000;

interface Upload {
  readonly imageId: ImageId;
  readonly storedAgoMs: number;
}

/** The sweep's ports in memory: the listed originals, the markers, the queues and the rows. */
function inMemoryPorts(options: {
  uploads: readonly Upload[];
  rows?: readonly ResultRow[];
  heldByMarkers?: readonly ImageId[];
  queued: QueuedMessages;
}): SweepDeps & { readonly deleted: string[] } {
  const deleted: string[] = [];
  const listed: ListedOriginal[] = options.uploads.map((upload) => ({
    key: objectKeys.original(upload.imageId),
    bytes: 100,
    lastModified: new Date(now.getTime() - upload.storedAgoMs),
  }));
  const statusOf = (imageId: ImageId): ImageStatusEntry => {
    const row = options.rows?.find((candidate) => candidate.imageId === imageId);
    if (row === undefined) return { imageId, status: 'PENDING' };
    return row.status === 'SUCCEEDED'
      ? { imageId, status: row.status, row }
      : { imageId, status: row.status, row };
  };
  return {
    deleted,
    uploads: {
      async *originals() {
        yield* listed;
      },
      imageIdsHeldByMarkers: async () => new Set(options.heldByMarkers ?? []),
      deleteObjects: async (keys) => {
        deleted.push(...keys);
      },
    },
    queues: { queuedMessages: async () => options.queued },
    store: { getImageStatuses: async (imageIds) => imageIds.map(statusOf) },
  };
}

describe('sweepOrphans (the core, through in-memory ports)', () => {
  it('deletes only an old upload without a row or a marker when the queues are empty', async () => {
    // Prepare
    const [orphan, processed, marked, recent] = [newImageId(), newImageId(), newImageId(), newImageId()];
    const ports = inMemoryPorts({
      uploads: [
        { imageId: orphan, storedAgoMs: 48 * hourMs },
        { imageId: processed, storedAgoMs: 48 * hourMs },
        { imageId: marked, storedAgoMs: 48 * hourMs },
        { imageId: recent, storedAgoMs: hourMs },
      ],
      rows: [rowFor(processed, 'sweep', now, 'SUCCEEDED')],
      heldByMarkers: [marked],
      queued: { count: 0, longestRetentionMs: 14 * 24 * hourMs },
    });

    // Act
    const report = await sweepOrphans(ports, {
      storedBefore: new Date(now.getTime() - 24 * hourMs),
      now,
      delete: true,
    });

    // Assess
    expect(report.checked).toBe(2);
    expect(report.orphans.map((o) => [o.imageId, o.state])).toEqual([[orphan, 'deleted']]);
    expect(ports.deleted).toEqual([objectKeys.original(orphan)]);
  });

  it('while messages are queued, holds an orphan a message could still name and deletes one older than any message', async () => {
    // Prepare
    const retentionMs = 4 * 24 * hourMs;
    const [tooOld, possible] = [newImageId(), newImageId()];
    const ports = inMemoryPorts({
      uploads: [
        { imageId: tooOld, storedAgoMs: retentionMs + latestMessageAfterUploadMs + hourMs },
        { imageId: possible, storedAgoMs: retentionMs },
      ],
      queued: { count: 3, longestRetentionMs: retentionMs },
    });

    // Act
    const report = await sweepOrphans(ports, { storedBefore: now, now, delete: true });

    // Assess
    expect(report.queuedMessages).toBe(3);
    expect(report.orphans.map((o) => [o.imageId, o.state])).toEqual([
      [tooOld, 'deleted'],
      [possible, 'held'],
    ]);
    expect(ports.deleted).toEqual([objectKeys.original(tooOld)]);
  });
});

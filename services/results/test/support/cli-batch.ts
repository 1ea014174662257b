import type { ResultRow } from '@photo-pipeline/shared/contracts';
import type { ResultsFixture } from './results-fixture.ts';

/** When the CLI tests' batch was uploaded: one image a minute from here. */
export const cliBatchStart = Date.parse('2026-06-01T12:00:00.000Z');

export interface CliBatch {
  /** Batch `cli-batch`: three SUCCEEDED and two FAILED images, uploaded a minute apart. */
  readonly batch: readonly ResultRow[];
  /** An image with a long file name and batch id, uploaded alone at minute 5. */
  readonly long: ResultRow;
}

/** Seeds the rows (and objects) the results CLI tests read. */
export async function seedCliBatch(fixture: ResultsFixture): Promise<CliBatch> {
  const t0 = cliBatchStart;
  const batch: ResultRow[] = [];
  const specs = [
    { status: 'SUCCEEDED', width: 40, height: 30 },
    { status: 'FAILED', errorCode: 'IMAGE_CORRUPT' },
    { status: 'SUCCEEDED', width: 20, height: 20 },
    { status: 'FAILED', errorCode: 'UNSUPPORTED_MEDIA_TYPE' },
    { status: 'SUCCEEDED', width: 16, height: 48 },
  ] as const;
  for (const [i, spec] of specs.entries()) {
    batch.push(
      await fixture.seedImage({ ...spec, batchId: 'cli-batch', uploadedAt: new Date(t0 + i * 60_000) }),
    );
  }
  const long = await fixture.seedImage({
    batchId: 'narrow-terminal-batch-with-a-long-name-2026',
    status: 'SUCCEEDED',
    originalName: 'family-holiday-on-the-beach-at-sunset-2026-08-14.jpg',
    uploadedAt: new Date(t0 + 5 * 60_000),
  });
  return { batch, long };
}

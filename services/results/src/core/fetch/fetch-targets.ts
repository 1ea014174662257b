import { batchIdSchema, imageIdSchema, type ResultRow } from '@photo-pipeline/shared/contracts';
import { PermanentError } from '@photo-pipeline/shared/errors';
import type { ResultsStore } from '@photo-pipeline/shared/results-store';
import { type ImageFile, originalFile, processedFile } from './file-names.ts';

/** An asked-for id that gives nothing to download, and why. */
export interface NotFetched {
  readonly id: string;
  readonly reason: string;
  /** True when the id has no result yet or at all (exit 3); false for a FAILED image without output. */
  readonly missing: boolean;
}

export interface FetchTargets {
  readonly files: readonly ImageFile[];
  readonly notFetched: readonly NotFetched[];
}

/**
 * The files to download for ids that are image ids or batch ids (the API makes batch ids as ULIDs too,
 * so an id that is no known image is tried as a batch): each SUCCEEDED image's processed output, and
 * with `originals` each image's upload as well. FAILED images have no output; PENDING ones no row yet.
 */
export async function fetchTargets(
  store: Pick<ResultsStore, 'getImageStatuses' | 'batchPages'>,
  ids: readonly string[],
  originals: boolean,
): Promise<FetchTargets> {
  for (const id of ids) parseId(id);
  const imageIds = ids.flatMap((id) => {
    const parsed = imageIdSchema.safeParse(id.trim().toUpperCase());
    return parsed.success ? [parsed.data] : [];
  });
  const statuses = new Map((await store.getImageStatuses(imageIds)).map((entry) => [entry.imageId, entry]));

  const rows = new Map<string, ResultRow>();
  const notFetched: NotFetched[] = [];
  for (const id of ids) {
    const entry = statuses.get(id.trim().toUpperCase());
    if (entry && 'row' in entry) rows.set(entry.imageId, entry.row);
    else if (entry?.status === 'PENDING')
      notFetched.push({ id, reason: 'PENDING: uploaded, not processed yet', missing: true });
    else {
      const batchRows = await readBatch(store, id);
      for (const row of batchRows) rows.set(row.imageId, row);
      if (batchRows.length === 0)
        notFetched.push({ id, reason: 'no image and no batch with this id', missing: true });
    }
  }

  const files: ImageFile[] = [];
  for (const row of rows.values()) {
    if (row.status === 'SUCCEEDED') files.push(processedFile(row));
    else if (!originals) {
      notFetched.push({
        id: row.imageId,
        reason: `FAILED (${row.errorCode}): no processed image; --originals fetches the upload`,
        missing: false,
      });
    }
    if (originals) files.push(originalFile(row));
  }
  return { files, notFetched };
}

/** An image id is a valid batch id too; anything else cannot be either. */
function parseId(id: string): string {
  const parsed = batchIdSchema.safeParse(id);
  if (parsed.success) return parsed.data;
  throw new PermanentError(
    'INVALID_ARGUMENT',
    `${JSON.stringify(id)} is neither an image id (a ULID) nor a batch id: ${parsed.error.issues[0]?.message ?? 'invalid'}`,
  );
}

async function readBatch(store: Pick<ResultsStore, 'batchPages'>, id: string): Promise<ResultRow[]> {
  const rows: ResultRow[] = [];
  for await (const page of store.batchPages(parseId(id))) rows.push(...page.rows);
  return rows;
}

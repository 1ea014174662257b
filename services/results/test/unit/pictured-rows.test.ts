import type { ResultRow } from '@photo-pipeline/shared/contracts';
import { describe, expect, it } from 'vitest';
import { pickPictured } from '../../src/core/report/pictured-rows.ts';

function rows(statuses: string): ResultRow[] {
  // Only imageId and status matter to the choice; the rest of a row is irrelevant here.
  return [...statuses].map(
    (letter, i) =>
      ({ imageId: String(i).padStart(2, '0'), status: letter === 'F' ? 'FAILED' : 'SUCCEEDED' }) as ResultRow,
  );
}

describe('which images a report pictures', () => {
  it('pictures every image when they fit', () => {
    expect(pickPictured(rows('SFS'), 5).map((row) => row.imageId)).toEqual(['00', '01', '02']);
  });

  it('keeps up to a third of the places for failures, the rest for the first images, in upload order', () => {
    const picked = pickPictured(rows('SSSSSSSSFSSFSFF'), 6);

    expect(picked.map((row) => row.imageId)).toEqual(['00', '01', '02', '03', '08', '11']);
  });
});

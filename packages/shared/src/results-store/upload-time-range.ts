import { encodeTime } from 'ulid';
import { uploadDayOf } from '../contracts/ids.ts';

const dayMs = 24 * 3600 * 1000;
/** The largest time a ULID can hold (48 bits of milliseconds). */
const maxUlidTimeMs = 2 ** 48 - 1;

/**
 * Image ids are ULIDs made when the upload arrives, so a range of upload times is a range of ids:
 * the lowest id at `since` and the highest id just before `until`. Used as the sort-key condition of
 * the day index, so time filtering happens in DynamoDB, not in a scan.
 */
export function imageIdBounds(since: Date, until: Date): { readonly low: string; readonly high: string } {
  const lowMs = clampUlidTime(since.getTime());
  const highMs = clampUlidTime(until.getTime() - 1);
  return {
    low: `${encodeTime(lowMs, 10)}${'0'.repeat(16)}`,
    high: `${encodeTime(highMs, 10)}${'Z'.repeat(16)}`,
  };
}

/** The UTC days (YYYY-MM-DD) from since to until (exclusive), newest first or oldest first. */
export function uploadDaysBetween(since: Date, until: Date, order: 'newest' | 'oldest'): string[] {
  const days: string[] = [];
  const last = until.getTime() - 1;
  if (last < since.getTime()) return days;
  const first = Date.UTC(since.getUTCFullYear(), since.getUTCMonth(), since.getUTCDate());
  for (let t = first; t <= last; t += dayMs) days.push(uploadDayOf(new Date(t).toISOString()));
  return order === 'newest' ? days.reverse() : days;
}

function clampUlidTime(ms: number): number {
  return Math.min(Math.max(ms, 0), maxUlidTimeMs);
}

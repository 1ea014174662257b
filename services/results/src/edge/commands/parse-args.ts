import {
  type BatchId,
  batchIdSchema,
  type ImageId,
  imageIdSchema,
  rowStatusSchema,
} from '@photo-pipeline/shared/contracts';
import { PermanentError } from '@photo-pipeline/shared/errors';
import type { RowStatusFilter } from '@photo-pipeline/shared/results-store';

/** CLI argument parsers: each turns a string into a typed value or an INVALID_ARGUMENT (exit code 2). */

export function parseImageIds(values: readonly string[]): ImageId[] {
  const problems: string[] = [];
  const ids: ImageId[] = [];
  for (const value of values) {
    const parsed = imageIdSchema.safeParse(value.trim().toUpperCase());
    if (parsed.success) ids.push(parsed.data);
    else problems.push(`${JSON.stringify(value)}: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  }
  if (problems.length > 0) {
    throw new PermanentError('INVALID_ARGUMENT', `invalid image id ${problems.join('; ')}`);
  }
  return ids;
}

export function parseBatchId(value: string): BatchId {
  const parsed = batchIdSchema.safeParse(value);
  if (!parsed.success) {
    throw new PermanentError(
      'INVALID_ARGUMENT',
      `invalid batch id ${JSON.stringify(value)}: ${parsed.error.issues[0]?.message ?? 'invalid'}`,
    );
  }
  return parsed.data;
}

export function parseStatus(value: string | undefined): RowStatusFilter | undefined {
  if (value === undefined) return undefined;
  const stored = rowStatusSchema.safeParse(value.toUpperCase());
  if (stored.success) return stored.data;
  throw new PermanentError(
    'INVALID_ARGUMENT',
    `--status must be SUCCEEDED or FAILED, got ${JSON.stringify(value)} (images without a row are PENDING; ask for them by id with \`get\`)`,
  );
}

export function parsePositiveInteger(
  option: string,
  value: string | undefined,
  max: number,
): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > max) {
    throw new PermanentError(
      'INVALID_ARGUMENT',
      `${option} must be a whole number from 1 to ${max}, got ${JSON.stringify(value)}`,
    );
  }
  return Number(value);
}

const relativePattern = /^(\d+)\s*(s|m|h|d|w)$/;
const unitMs: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/**
 * A point in time for --since/--until: an ISO date-time ("2026-11-21T10:00:00Z"), a UTC day
 * ("2026-11-21", its start), `now`, or a duration ago ("30m", "24h", "7d").
 */
export function parseTime(option: string, value: string, now: Date): Date {
  const trimmed = value.trim();
  if (trimmed === 'now') return now;
  const relative = relativePattern.exec(trimmed);
  if (relative) return new Date(now.getTime() - Number(relative[1]) * (unitMs[relative[2] ?? 's'] ?? 1_000));
  if (/^\d{4}-\d{2}-\d{2}$/.test(trimmed)) {
    const day = new Date(`${trimmed}T00:00:00.000Z`);
    if (!Number.isNaN(day.getTime())) return day;
  }
  if (/^\d{4}-\d{2}-\d{2}T/.test(trimmed)) {
    const time = new Date(trimmed);
    if (!Number.isNaN(time.getTime())) return time;
  }
  throw new PermanentError(
    'INVALID_ARGUMENT',
    `${option} must be an ISO date-time (2026-11-21T10:00:00Z), a day (2026-11-21), "now" or a duration ago (30m, 24h, 7d); got ${JSON.stringify(value)}`,
  );
}

/** The longest range `list` and `report` walk, one day-index query per day. */
export const maxRangeDays = 366;

export function parseTimeRange(
  sinceValue: string | undefined,
  untilValue: string | undefined,
  now: Date,
  defaultSince: string,
): { since: Date; until: Date } {
  const since = parseTime('--since', sinceValue ?? defaultSince, now);
  const until = untilValue === undefined ? now : parseTime('--until', untilValue, now);
  if (since.getTime() >= until.getTime()) {
    throw new PermanentError(
      'INVALID_ARGUMENT',
      `--since (${since.toISOString()}) must be before --until (${until.toISOString()})`,
    );
  }
  if (until.getTime() - since.getTime() > maxRangeDays * 86_400_000) {
    throw new PermanentError(
      'INVALID_ARGUMENT',
      `the time range is over ${maxRangeDays} days; narrow --since/--until`,
    );
  }
  return { since, until };
}

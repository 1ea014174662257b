import { z } from 'zod';
import { PermanentError } from '../errors/app-error.ts';

/** A DynamoDB key as the store hands it out: string attributes only (all our keys are strings). */
export type StoredKey = Readonly<Record<string, string>>;

const keySchema = z.record(z.string(), z.string());
const cursorSchema = z.object({ day: z.string().optional(), key: keySchema.optional() });

export interface CursorPosition {
  /** The upload day being read, for listings that walk the day index. */
  readonly day?: string | undefined;
  /** DynamoDB's LastEvaluatedKey: where the next page starts. */
  readonly key?: StoredKey | undefined;
}

/** An opaque, URL-safe cursor for the next page. */
export function encodeCursor(position: CursorPosition): string {
  return Buffer.from(JSON.stringify(position), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): CursorPosition {
  try {
    return cursorSchema.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
  } catch (cause) {
    throw new PermanentError('INVALID_ARGUMENT', 'the page cursor is not one this tool returned', { cause });
  }
}

/** LastEvaluatedKey from the document client, kept only when every attribute is a string. */
export function toStoredKey(key: Record<string, unknown> | undefined): StoredKey | undefined {
  if (!key) return undefined;
  const parsed = keySchema.safeParse(key);
  return parsed.success ? parsed.data : undefined;
}

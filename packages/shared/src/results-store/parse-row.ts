import type { z } from 'zod';
import { type ResultRow, resultRowSchema } from '../contracts/result-row.ts';
import { PermanentError } from '../errors/app-error.ts';

/** A DynamoDB item as a result row; an item that breaks the contract is RESULT_ROW_INVALID. */
export function parseResultRow(item: Record<string, unknown>): ResultRow {
  return parseStoredItem(resultRowSchema, item);
}

/**
 * A DynamoDB item (or the attributes a query projected from it) checked against its schema, a part of
 * the row contract; an item that breaks it is RESULT_ROW_INVALID naming the image and the fields.
 */
export function parseStoredItem<T extends z.ZodType>(schema: T, item: Record<string, unknown>): z.output<T> {
  const parsed = schema.safeParse(item);
  if (parsed.success) return parsed.data;
  const imageId = typeof item.imageId === 'string' ? item.imageId : '(no imageId)';
  const fields = parsed.error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.join('.') || '(row)'}: ${issue.message}`);
  throw new PermanentError(
    'RESULT_ROW_INVALID',
    `result row for image ${imageId} does not match the contract: ${fields.join('; ')}`,
    { details: { imageId, fields: parsed.error.issues.map((issue) => issue.path.join('.')) } },
  );
}

/**
 * Key prefixes the services write under (packages/shared/src/contracts/object-keys.ts and the API's
 * idempotency markers); task-role statements are scoped to them. Tests check they still match the code.
 */
export const objectPrefixes = {
  /** Uploaded originals, in the uploads bucket. */
  originals: 'originals/',
  /** The API's Idempotency-Key markers, in the uploads bucket. */
  idempotency: 'idempotency/',
  /** Processed images, in the processed bucket. */
  processed: 'processed/',
  /** Post-processing reports, in the processed bucket (REPORTS_PREFIX). */
  reports: 'reports/',
} as const;

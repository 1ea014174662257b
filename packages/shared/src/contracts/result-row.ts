import { z } from 'zod';
import { isErrorCode } from '../errors/error-codes.ts';
import { batchIdSchema, imageIdSchema } from './ids.ts';
import { sha256HexSchema } from './image-uploaded.ts';

export const executionProviderSchema = z.enum(['cuda', 'cpu']);
export type ExecutionProvider = z.output<typeof executionProviderSchema>;

const durationMs = z.number().nonnegative();

/** Milliseconds spent in each stage of processing one image; stages not reached are absent. */
export const stageTimingsSchema = z.object({
  downloadMs: durationMs.optional(),
  decodeMs: durationMs.optional(),
  inferenceMs: durationMs.optional(),
  encodeMs: durationMs.optional(),
  uploadMs: durationMs.optional(),
  totalMs: durationMs,
});
export type StageTimings = z.output<typeof stageTimingsSchema>;

export const storedObjectSchema = z.object({
  bucket: z.string().min(3),
  key: z.string().min(1),
  bytes: z.number().int().nonnegative(),
  sha256: sha256HexSchema,
  contentType: z.string().min(1),
});
export type StoredObject = z.output<typeof storedObjectSchema>;

/**
 * The model that made a row: its name and version (from its manifest, else the file name and `digest`)
 * and the first 12 hex digits of the model file's SHA-256 (absent in rows from before it was recorded).
 */
export const modelIdentitySchema = z.object({
  name: z.string().min(1),
  version: z.string().min(1),
  digest: z
    .string()
    .regex(/^[0-9a-f]{12}$/)
    .optional(),
});
export type ModelIdentity = z.output<typeof modelIdentitySchema>;

const rowBase = {
  schemaVersion: z.literal(1),
  imageId: imageIdSchema,
  batchId: batchIdSchema,
  /** YYYY-MM-DD of uploadedAt, the partition key of the upload-day index. */
  uploadDay: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  originalName: z.string().max(1024),
  input: storedObjectSchema,
  uploadedAt: z.iso.datetime({ offset: true }),
  processedAt: z.iso.datetime({ offset: true }),
  /** How many deliveries of the message it took (SQS ApproximateReceiveCount). */
  attempts: z.number().int().min(1),
  timings: stageTimingsSchema,
};

export const succeededRowSchema = z
  .object({
    ...rowBase,
    status: z.literal('SUCCEEDED'),
    width: z.number().int().positive(),
    height: z.number().int().positive(),
    /** width x height after EXIF orientation. */
    areaPx: z.number().int().positive(),
    foregroundPx: z.number().int().nonnegative(),
    foregroundRatio: z.number().min(0).max(1),
    output: storedObjectSchema,
    /** The foreground mask as a PNG (white = foreground) at width x height, for models with a mask output. */
    mask: storedObjectSchema.optional(),
    model: modelIdentitySchema,
    executionProvider: executionProviderSchema,
  })
  .refine((row) => row.areaPx === row.width * row.height, {
    message: 'areaPx must equal width x height',
    path: ['areaPx'],
  })
  .refine((row) => row.foregroundPx <= row.areaPx, {
    message: 'foregroundPx cannot exceed areaPx',
    path: ['foregroundPx'],
  });

export const failedRowSchema = z.object({
  ...rowBase,
  status: z.literal('FAILED'),
  errorCode: z.string().refine(isErrorCode, { message: 'expected a stable error code' }),
  errorMessage: z.string().min(1).max(2000),
  executionProvider: executionProviderSchema.optional(),
});

export const resultRowSchema = z.union([succeededRowSchema, failedRowSchema]);

export type SucceededRow = z.output<typeof succeededRowSchema>;
export type FailedRow = z.output<typeof failedRowSchema>;
export type ResultRow = z.output<typeof resultRowSchema>;

/** What a user sees for an image id: a row's status, PENDING (uploaded, no row yet) or UNKNOWN. */
export const imageStatusSchema = z.enum(['SUCCEEDED', 'FAILED', 'PENDING', 'UNKNOWN']);
export type ImageStatus = z.output<typeof imageStatusSchema>;
/** The statuses a stored row can have (the others are what a missing row means). */
export const rowStatusSchema = imageStatusSchema.extract(['SUCCEEDED', 'FAILED']);

export {
  type IdempotencyMarker,
  idempotencyMarkerSchema,
  idempotencyPrefix,
} from './idempotency-marker.ts';
export {
  type BatchId,
  batchIdSchema,
  type ImageId,
  imageIdSchema,
  newBatchId,
  newImageId,
  uploadDayOf,
} from './ids.ts';
export { type ImageContentType, imageContentTypeSchema, supportedImageTypes } from './image-types.ts';
export {
  type ImageUploadedV1,
  imageUploadedV1Schema,
  parseImageUploaded,
  serializeImageUploaded,
  sha256HexSchema,
} from './image-uploaded.ts';
export { objectKeys } from './object-keys.ts';
export {
  type ExecutionProvider,
  executionProviderSchema,
  type FailedRow,
  failedRowSchema,
  type ImageStatus,
  imageStatusSchema,
  modelIdentitySchema,
  type ResultRow,
  resultRowSchema,
  type StageTimings,
  type StoredObject,
  type SucceededRow,
  stageTimingsSchema,
  storedObjectSchema,
  succeededRowSchema,
} from './result-row.ts';
export {
  type UploadedImage,
  type UploadReply,
  uploadedImageSchema,
  uploadReplySchema,
} from './upload-reply.ts';

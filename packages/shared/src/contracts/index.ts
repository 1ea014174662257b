export {
  type ErrorBody,
  errorBodySchema,
  type ImageStatusReply,
  imageStatusesReplySchema,
  imageStatusReplySchema,
  type LivenessReply,
  livenessReplySchema,
  type ReadinessReply,
  readinessReplySchema,
} from './api-replies.ts';
export {
  imageStatusesQuerySchema,
  imageStatusParamsSchema,
  uploadFormSchema,
  uploadHeadersSchema,
} from './api-requests.ts';
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
export {
  contractV1AsV2,
  type ModelInputSpec,
  type ModelManifest,
  type ModelManifestV1,
  type ModelManifestV2,
  type ModelMaskSpec,
  type ModelOutputsSpec,
  modelManifestFileSuffix,
  modelManifestMetadataKey,
  modelManifestSchema,
  parseModelManifest,
} from './model-manifest.ts';
export { objectKeys } from './object-keys.ts';
export {
  type ExecutionProvider,
  executionProviderSchema,
  type FailedRow,
  failedRowSchema,
  type ImageStatus,
  imageStatusSchema,
  type ModelIdentity,
  modelIdentitySchema,
  type ResultRow,
  resultRowSchema,
  rowStatusSchema,
  type StageTimings,
  type StoredObject,
  type SucceededRow,
  stageTimingsSchema,
  storedObjectSchema,
  succeededRowSchema,
} from './result-row.ts';
export {
  type UploadReply,
  uploadedImageSchema,
  uploadReplySchema,
} from './upload-reply.ts';

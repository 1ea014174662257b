import { PermanentError } from '@photo-pipeline/shared/errors';
import protobuf from 'protobufjs';
import { z } from 'zod';

/**
 * Only ModelProto's metadata_props (field 14 of onnx.proto): protobufjs skips every other field, so the
 * graph and its weights (hundreds of MB for a real network) are stepped over, not decoded.
 */
const ModelMetadata = protobuf.Root.fromJSON({
  nested: {
    onnx: {
      nested: {
        StringStringEntryProto: {
          fields: { key: { type: 'string', id: 1 }, value: { type: 'string', id: 2 } },
        },
        ModelMetadata: {
          fields: { metadataProps: { rule: 'repeated', type: 'StringStringEntryProto', id: 14 } },
        },
      },
    },
  },
}).lookupType('onnx.ModelMetadata');

const decodedMetadataSchema = z.object({
  metadataProps: z.array(z.object({ key: z.string().optional(), value: z.string().optional() })).optional(),
});

/** The metadata_props of an ONNX model (key to value); a file that is not protobuf is MODEL_CONTRACT_VIOLATION. */
export function readOnnxMetadata(bytes: Uint8Array, path: string): ReadonlyMap<string, string> {
  let entries: z.output<typeof decodedMetadataSchema>['metadataProps'];
  try {
    const decoded = ModelMetadata.toObject(ModelMetadata.decode(bytes), { arrays: true });
    entries = decodedMetadataSchema.parse(decoded).metadataProps;
  } catch (cause) {
    throw new PermanentError('MODEL_CONTRACT_VIOLATION', `cannot read ${path} as an ONNX model`, {
      cause,
    });
  }
  return new Map((entries ?? []).map((entry) => [entry.key ?? '', entry.value ?? '']));
}

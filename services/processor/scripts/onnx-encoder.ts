import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';

/** ONNX TensorProto.DataType values used by the builder. */
export const onnxElementType = { float: 1, uint8: 2, int32: 6, int64: 7, bool: 9 } as const;
export type OnnxElementTypeName = keyof typeof onnxElementType;

export type AttributeValue =
  | { readonly kind: 'int'; readonly value: number }
  | { readonly kind: 'ints'; readonly value: readonly number[] }
  | { readonly kind: 'string'; readonly value: string };

export interface NodeSpec {
  readonly opType: string;
  readonly name: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly attributes?: Readonly<Record<string, AttributeValue>>;
}

export interface InitializerSpec {
  readonly name: string;
  readonly elementType: OnnxElementTypeName;
  readonly dims: readonly number[];
  /** Little-endian element bytes, as ONNX raw_data stores them. */
  readonly raw: Uint8Array;
}

export interface ValueSpec {
  readonly name: string;
  readonly elementType: OnnxElementTypeName;
  /** A number is a fixed size; a string names a dynamic dimension. */
  readonly dims: readonly (number | string)[];
  readonly doc: string;
}

export interface ModelSpec {
  readonly irVersion: number;
  readonly opsetVersion: number;
  readonly producerName: string;
  readonly producerVersion: string;
  readonly modelVersion: number;
  readonly doc: string;
  readonly graphName: string;
  readonly inputs: readonly ValueSpec[];
  readonly outputs: readonly ValueSpec[];
  readonly initializers: readonly InitializerSpec[];
  readonly nodes: readonly NodeSpec[];
  readonly metadata: Readonly<Record<string, string>>;
}

const attributeType = { int: 2, string: 3, ints: 7 } as const;

/** The ONNX message types, from the subset of onnx.proto kept beside this file. */
function loadModelProto(): protobuf.Type {
  const root = protobuf.loadSync(fileURLToPath(new URL('./onnx-subset.proto', import.meta.url)));
  return root.lookupType('onnx.ModelProto');
}

function valueInfo(value: ValueSpec) {
  return {
    name: value.name,
    docString: value.doc,
    type: {
      tensorType: {
        elemType: onnxElementType[value.elementType],
        shape: {
          dim: value.dims.map((dim) => (typeof dim === 'number' ? { dimValue: dim } : { dimParam: dim })),
        },
      },
    },
  };
}

function attribute(name: string, value: AttributeValue) {
  switch (value.kind) {
    case 'int':
      return { name, type: attributeType.int, i: value.value };
    case 'ints':
      return { name, type: attributeType.ints, ints: [...value.value] };
    case 'string':
      return { name, type: attributeType.string, s: new TextEncoder().encode(value.value) };
  }
}

/**
 * Encodes a model description as ONNX protobuf bytes. Field order and values come only from the spec,
 * so the same spec always gives the same bytes.
 */
export function encodeModel(spec: ModelSpec): Uint8Array {
  const ModelProto = loadModelProto();
  const message = ModelProto.fromObject({
    irVersion: spec.irVersion,
    opsetImport: [{ domain: '', version: spec.opsetVersion }],
    producerName: spec.producerName,
    producerVersion: spec.producerVersion,
    modelVersion: spec.modelVersion,
    docString: spec.doc,
    graph: {
      name: spec.graphName,
      node: spec.nodes.map((node) => ({
        name: node.name,
        opType: node.opType,
        input: [...node.inputs],
        output: [...node.outputs],
        attribute: Object.entries(node.attributes ?? {}).map(([name, value]) => attribute(name, value)),
      })),
      initializer: spec.initializers.map((init) => ({
        name: init.name,
        dataType: onnxElementType[init.elementType],
        dims: [...init.dims],
        rawData: init.raw,
      })),
      input: spec.inputs.map(valueInfo),
      output: spec.outputs.map(valueInfo),
    },
    metadataProps: Object.entries(spec.metadata).map(([key, value]) => ({ key, value })),
  });
  return ModelProto.encode(message).finish();
}

/** Little-endian bytes of int64 values (ONNX raw_data). */
export function int64Bytes(values: readonly number[]): Uint8Array {
  const view = new DataView(new ArrayBuffer(values.length * 8));
  for (const [index, value] of values.entries()) view.setBigInt64(index * 8, BigInt(value), true);
  return new Uint8Array(view.buffer);
}

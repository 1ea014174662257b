import { readFile } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import {
  type ModelManifest,
  modelManifestFileSuffix,
  modelManifestMetadataKey,
  parseModelManifest,
} from '@photo-pipeline/shared/contracts';
import { PermanentError } from '@photo-pipeline/shared/errors';
import { readOnnxMetadata } from './onnx-metadata.ts';

/** Where a model's manifest came from: a JSON file beside it, its ONNX metadata_props, or nowhere (v1). */
export type ManifestSource =
  | { readonly kind: 'file'; readonly path: string }
  | { readonly kind: 'metadata'; readonly key: string }
  | { readonly kind: 'none' };

export interface ModelDeclaration {
  readonly manifest: ModelManifest;
  readonly source: ManifestSource;
}

/** `models/u2netp.onnx` -> `models/u2netp.manifest.json`. */
export function manifestPathFor(modelPath: string): string {
  return join(dirname(modelPath), `${basename(modelPath, extname(modelPath))}${modelManifestFileSuffix}`);
}

function parseJson(text: string, source: string): unknown {
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new PermanentError('MODEL_CONTRACT_VIOLATION', `the model manifest ${source} is not JSON`, {
      cause,
    });
  }
}

async function readIfPresent(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (cause) {
    if (cause instanceof Error && 'code' in cause && cause.code === 'ENOENT') return undefined;
    throw new PermanentError('MODEL_CONTRACT_VIOLATION', `cannot read the model manifest ${path}`, {
      cause,
    });
  }
}

/**
 * What the model declares: the manifest beside it (`<model>.manifest.json`), else the one in its ONNX
 * metadata_props (`photo-pipeline.manifest`), else contract v1. A manifest that is not valid JSON or
 * breaks the schema is MODEL_CONTRACT_VIOLATION naming the field.
 */
export async function readModelDeclaration(modelPath: string, bytes: Uint8Array): Promise<ModelDeclaration> {
  const metadata = readOnnxMetadata(bytes, modelPath);
  const besidePath = manifestPathFor(modelPath);
  const beside = await readIfPresent(besidePath);
  if (beside !== undefined) {
    return {
      manifest: parseModelManifest(parseJson(beside, besidePath), besidePath),
      source: { kind: 'file', path: besidePath },
    };
  }
  const embedded = metadata.get(modelManifestMetadataKey);
  if (embedded !== undefined) {
    const source = `in the metadata_props "${modelManifestMetadataKey}" of ${modelPath}`;
    return {
      manifest: parseModelManifest(parseJson(embedded, source), source),
      source: { kind: 'metadata', key: modelManifestMetadataKey },
    };
  }
  return { manifest: { contractVersion: 1 }, source: { kind: 'none' } };
}

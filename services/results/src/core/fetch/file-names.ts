import path from 'node:path';
import type { ResultRow, StoredObject } from '@photo-pipeline/shared/contracts';

/** An object of a result row to download, and the file name it gets. */
export interface ImageFile {
  readonly imageId: string;
  readonly kind: 'processed' | 'original';
  readonly object: StoredObject;
  readonly fileName: string;
}

const extensionOfType: Readonly<Record<string, string>> = {
  'image/jpeg': '.jpg',
  'image/png': '.png',
  'image/webp': '.webp',
  'image/gif': '.gif',
  'image/tiff': '.tif',
  'image/avif': '.avif',
  'image/heic': '.heic',
};

/**
 * File names that sort in upload order (the image id first), say what they show (the uploaded name) and
 * never collide: `<imageId>_<name>.<ext>` for the processed image, `<imageId>_<name>.original.<ext>` for
 * the upload. The name keeps letters and digits of any script; anything else becomes `_`.
 */
export function processedFile(row: Extract<ResultRow, { status: 'SUCCEEDED' }>): ImageFile {
  return {
    imageId: row.imageId,
    kind: 'processed',
    object: row.output,
    fileName: `${row.imageId}_${stemOf(row.originalName)}${extensionOf(row.output)}`,
  };
}

export function originalFile(row: ResultRow): ImageFile {
  return {
    imageId: row.imageId,
    kind: 'original',
    object: row.input,
    fileName: `${row.imageId}_${stemOf(row.originalName)}.original${extensionOf(row.input)}`,
  };
}

function stemOf(originalName: string): string {
  const base = path.basename(originalName.replaceAll('\\', '/'), path.extname(originalName));
  const safe = base
    .replaceAll(/[^\p{L}\p{N}._-]+/gu, '_')
    .replace(/^[._]+/, '')
    .slice(0, 80);
  return safe || 'image';
}

function extensionOf(object: StoredObject): string {
  return extensionOfType[object.contentType] ?? (path.extname(object.key) || '.bin');
}

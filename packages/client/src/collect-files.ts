import { readdir, stat } from 'node:fs/promises';
import { basename, extname, join, resolve } from 'node:path';
import { PermanentError } from '@photo-pipeline/shared/errors';

/** Extensions picked up when a folder is given; files named one by one are sent whatever their name. */
export const imageExtensions: ReadonlySet<string> = new Set([
  '.jpg',
  '.jpeg',
  '.jpe',
  '.png',
  '.webp',
  '.gif',
  '.tif',
  '.tiff',
  '.avif',
  '.heic',
  '.heif',
]);

export interface LocalFile {
  /** Absolute path. */
  readonly path: string;
  /** What the API is told (display only): the file's base name. */
  readonly name: string;
  readonly bytes: number;
}

/**
 * Expands files and folders (recursively, image extensions only, hidden entries skipped) into a sorted,
 * de-duplicated list. Relative paths are resolved against `cwd`. A path that does not exist is an error.
 */
export async function collectFiles(paths: readonly string[], cwd: string): Promise<LocalFile[]> {
  const found = new Map<string, LocalFile>();
  for (const given of paths) {
    const path = resolve(cwd, given);
    let info: Awaited<ReturnType<typeof stat>>;
    try {
      info = await stat(path);
    } catch (cause) {
      throw new PermanentError('INVALID_ARGUMENT', `no such file or folder: ${given}`, { cause });
    }
    if (info.isDirectory()) {
      for (const file of await walk(path)) found.set(file.path, file);
    } else if (info.isFile()) {
      found.set(path, { path, name: basename(path), bytes: info.size });
    }
  }
  return [...found.values()].sort((a, b) => a.path.localeCompare(b.path));
}

async function walk(folder: string): Promise<LocalFile[]> {
  const entries = await readdir(folder, { withFileTypes: true });
  const files: LocalFile[] = [];
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const path = join(folder, entry.name);
    if (entry.isDirectory()) {
      files.push(...(await walk(path)));
    } else if (entry.isFile() && imageExtensions.has(extname(entry.name).toLowerCase())) {
      files.push({ path, name: entry.name, bytes: (await stat(path)).size });
    }
  }
  return files;
}

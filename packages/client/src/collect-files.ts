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

/** Files found in folders and left out, counted by why: their extension (`.txt`, `(none)`) or `hidden`. */
export interface SkippedFiles {
  readonly count: number;
  readonly byReason: Readonly<Record<string, number>>;
}

export interface CollectedFiles {
  readonly files: LocalFile[];
  readonly skipped: SkippedFiles;
}

/**
 * Expands files and folders (recursively, image extensions only, hidden entries skipped) into a sorted,
 * de-duplicated list, and counts what the folders held besides. Relative paths are resolved against
 * `cwd`. A path that does not exist is an error.
 */
export async function collectFiles(paths: readonly string[], cwd: string): Promise<CollectedFiles> {
  const found = new Map<string, LocalFile>();
  const skipped = new Map<string, number>();
  const skip = (reason: string) => skipped.set(reason, (skipped.get(reason) ?? 0) + 1);
  for (const given of paths) {
    const path = resolve(cwd, given);
    let info: Awaited<ReturnType<typeof stat>>;
    try {
      info = await stat(path);
    } catch (cause) {
      throw new PermanentError('INVALID_ARGUMENT', `no such file or folder: ${given}`, { cause });
    }
    if (info.isDirectory()) {
      for (const file of await walk(path, skip)) found.set(file.path, file);
    } else if (info.isFile()) {
      found.set(path, { path, name: basename(path), bytes: info.size });
    }
  }
  const byReason = Object.fromEntries([...skipped].sort(([a, x], [b, y]) => y - x || a.localeCompare(b)));
  return {
    files: [...found.values()].sort((a, b) => a.path.localeCompare(b.path)),
    skipped: { count: [...skipped.values()].reduce((sum, n) => sum + n, 0), byReason },
  };
}

/** "3 files skipped (not images by their extension): .txt 2, hidden 1", or '' when none was. */
export function describeSkipped(skipped: SkippedFiles): string {
  if (skipped.count === 0) return '';
  const reasons = Object.entries(skipped.byReason).map(([reason, n]) => `${reason} ${n}`);
  return `${skipped.count} file${skipped.count === 1 ? '' : 's'} skipped (not images by their extension, or hidden): ${reasons.join(', ')}`;
}

async function walk(folder: string, skip: (reason: string) => void): Promise<LocalFile[]> {
  const entries = await readdir(folder, { withFileTypes: true });
  const files: LocalFile[] = [];
  for (const entry of entries) {
    if (entry.name.startsWith('.')) {
      if (entry.isFile()) skip('hidden');
      continue;
    }
    const path = join(folder, entry.name);
    const extension = extname(entry.name).toLowerCase();
    if (entry.isDirectory()) {
      files.push(...(await walk(path, skip)));
    } else if (entry.isFile() && imageExtensions.has(extension)) {
      files.push({ path, name: entry.name, bytes: (await stat(path)).size });
    } else if (entry.isFile()) {
      skip(extension === '' ? '(no extension)' : extension);
    }
  }
  return files;
}

import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Every file under a folder with its size and modification time, sorted; empty when it does not exist. */
export function snapshotFolder(folder: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(folder, { recursive: true, encoding: 'utf8' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return entries
    .map((entry) => {
      const stats = statSync(join(folder, entry));
      return `${entry} ${stats.size} ${stats.mtimeMs}`;
    })
    .sort();
}

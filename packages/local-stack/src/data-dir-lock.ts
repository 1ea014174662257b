import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { PermanentError } from '@photo-pipeline/shared/errors';
import { isProcessRunning } from './process-alive.ts';

/**
 * Claims a data folder for one running stack. Two stacks on one folder would corrupt each other's
 * LevelDB and SQLite state (dynalite dies with "Database is closed"), so the second one is refused
 * with a clear message instead. A lock left by a stack that no longer runs is taken over.
 */
export function lockDataDir(dataDir: string): () => void {
  mkdirSync(dataDir, { recursive: true });
  const lockFile = join(dataDir, 'stack.lock');
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const fd = openSync(lockFile, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(lockFile, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number(readFileSync(lockFile, 'utf8'));
      if (isProcessRunning(owner)) {
        throw new PermanentError(
          'STACK_DATA_DIR_IN_USE',
          `the data folder ${dataDir} is used by another local stack (pid ${owner}); stop it, or choose another folder with STACK_DATA_DIR (or pnpm stack --data-dir)`,
        );
      }
      rmSync(lockFile, { force: true });
    }
  }
  throw new PermanentError('STACK_DATA_DIR_IN_USE', `could not lock the data folder ${dataDir}`);
}

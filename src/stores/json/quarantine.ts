import { linkSync, renameSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { syncDirectory } from '../fs/atomicFile';
import { copyFileDurably } from '../fs/copyFile';
import { ensureDirectory } from '../fs/writeAccess';

/**
 * Where repair puts damaged session files: `<dir>/quarantine/<name>.<timestamp>`. Nothing is ever
 * overwritten or deleted here — a name already taken gets a numeric suffix — so a person can
 * always go back to the bytes as they were.
 */
export const QUARANTINE_DIR = 'quarantine';
const MAX_SUFFIX = 1000;

/** Copies a file into quarantine; returns the copy's path relative to the store directory. */
export function copyToQuarantine(directory: string, name: string): string {
  return placeInQuarantine(directory, name, (target) => copyFileDurably(join(directory, name), target));
}

/** Moves a file into quarantine (it leaves the store); returns its new relative path. */
export function moveToQuarantine(directory: string, name: string): string {
  const relative = placeInQuarantine(directory, name, (target) => moveExclusively(join(directory, name), target));
  syncDirectory(directory);
  return relative;
}

function placeInQuarantine(directory: string, name: string, place: (target: string) => void): string {
  const folder = join(directory, QUARANTINE_DIR);
  ensureDirectory(folder);
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  for (let suffix = 0; suffix < MAX_SUFFIX; suffix++) {
    const fileName = `${name}.${stamp}${suffix === 0 ? '' : `-${suffix}`}`;
    try {
      place(join(folder, fileName));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
        continue;
      }
      throw error;
    }
    syncDirectory(folder);
    return `${QUARANTINE_DIR}/${fileName}`;
  }
  throw new Error(`could not find a free name in ${folder} for ${name}`);
}

/** link + unlink never replaces an existing file, unlike rename. */
function moveExclusively(source: string, target: string): void {
  try {
    linkSync(source, target);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EPERM' || code === 'ENOTSUP' || code === 'EOPNOTSUPP') {
      // No hard links here: the timestamped name was free a moment ago; fall back to rename.
      renameSync(source, target);
      return;
    }
    throw error;
  }
  unlinkSync(source);
}

import { accessSync, constants, existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { StoreAccess } from '../../core/store';
import { describeIoCause, isMissing } from './ioErrors';

// Whether a store can be written, asked of the file system before trying (access(2): cheap, and
// it knows read-only mounts as well as permissions), and folders made with the true reason when
// they cannot be: Node's recursive mkdir reports ENOENT where the file system said EROFS.

/**
 * Writable when every existing path given can be written and, for one that does not exist yet,
 * the nearest folder it would be created in can. The first path is the store's folder.
 */
export function writeAccess(paths: readonly string[]): StoreAccess {
  for (const path of paths) {
    const existing = nearestExisting(path);
    try {
      accessSync(existing, constants.W_OK);
    } catch (error) {
      return { writable: false, reason: `${describeIoCause(error)} on ${existing}` };
    }
  }
  return { writable: true };
}

/** Creates a folder and its parents; a failure carries the real cause (EROFS, EACCES, ENOSPC). */
export function ensureDirectory(path: string): void {
  try {
    mkdirSync(path, { recursive: true });
  } catch (error) {
    if (!isMissing(error)) {
      throw error;
    }
    // Ask again one level at a time, where the kernel tells the true reason.
    for (const folder of missingFolders(path)) {
      mkdirSync(folder);
    }
  }
}

function nearestExisting(path: string): string {
  let current = path;
  while (!existsSync(current) && dirname(current) !== current) {
    current = dirname(current);
  }
  return current;
}

/** The folders to create, outermost first. */
function missingFolders(path: string): string[] {
  const missing: string[] = [];
  for (let current = path; !existsSync(current) && dirname(current) !== current; current = dirname(current)) {
    missing.unshift(current);
  }
  return missing;
}

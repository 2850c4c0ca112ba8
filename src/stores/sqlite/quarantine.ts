import { existsSync, renameSync } from 'node:fs';
import { basename, join } from 'node:path';
import { syncDirectory } from '../fs/atomicFile';
import { copyFileDurably } from '../fs/copyFile';
import { ensureDirectory } from '../fs/writeAccess';
import { StorePaths } from './storePaths';

/**
 * The quarantine folder beside the store keeps whatever was found corrupt, under a name that
 * says when. Nothing found corrupt is ever deleted: it may still hold someone's words.
 */
function quarantineTarget(paths: StorePaths, path: string): string {
  ensureDirectory(paths.quarantine);
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  let target = join(paths.quarantine, `${basename(path)}.corrupt-${stamp}`);
  for (let n = 2; existsSync(target); n++) {
    target = join(paths.quarantine, `${basename(path)}.corrupt-${stamp}-${n}`);
  }
  return target;
}

export function moveToQuarantine(paths: StorePaths, path: string): string {
  const target = quarantineTarget(paths, path);
  renameSync(path, target);
  syncDirectory(paths.quarantine);
  syncDirectory(paths.directory);
  return target;
}

export function copyToQuarantine(paths: StorePaths, path: string): string {
  const target = quarantineTarget(paths, path);
  copyFileDurably(path, target);
  syncDirectory(paths.quarantine);
  return target;
}

import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, rmdirSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A small tmpfs of a test's own, to fill a disk and make a file system read-only for real.
 * Mounting needs root, which CI has; where it is refused, the test fails with one line saying so
 * (these faults cannot be faked without losing what the tests prove).
 */
export interface Tmpfs {
  path: string;
  /** `mount -o remount,<options>`: 'ro', 'rw', 'rw,size=8m', … */
  remount(options: string): void;
  /** Takes up all the free space but about `leaveBytes` with a filler file (removed by `drain`). */
  fill(leaveBytes?: number): void;
  /** Frees the space `fill` took. */
  drain(): void;
  unmount(): void;
}

export function mountTmpfs(options: { size: string; inodes?: number }): Tmpfs {
  const path = mkdtempSync(join(tmpdir(), 'multichat-tmpfs-'));
  const mountOptions = `size=${options.size}${options.inodes ? `,nr_inodes=${options.inodes}` : ''}`;
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', mountOptions, 'tmpfs', path], { stdio: 'pipe' });
  } catch (error) {
    rmdirSync(path);
    const said = (error as { stderr?: Buffer }).stderr?.toString().trim() ?? String(error);
    throw new Error(`these tests fill and remount a real tmpfs, which needs root: could not mount one on ${path} (${said})`);
  }
  const filler = join(path, 'filler');
  return {
    path,
    remount: (remountOptions) => execFileSync('mount', ['-o', `remount,${remountOptions}`, path], { stdio: 'pipe' }),
    fill: (leaveBytes = 0) => {
      const spacer = join(path, 'spacer');
      writeFileSync(spacer, Buffer.alloc(leaveBytes));
      fillUp(filler);
      rmSync(spacer);
    },
    drain: () => rmSync(filler, { force: true }),
    unmount: () => {
      execFileSync('umount', ['-l', path], { stdio: 'pipe' });
      rmdirSync(path);
    },
  };
}

function fillUp(path: string): void {
  const fd = openSync(path, 'a');
  const block = Buffer.alloc(64 * 1024, 0x78);
  try {
    for (;;) {
      writeSync(fd, block);
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') {
      throw error;
    }
  } finally {
    closeSync(fd);
  }
}

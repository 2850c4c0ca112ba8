import { openSync } from 'node:fs';

/** A read-only descriptor, or undefined when the file does not exist (deleted or not yet created). */
export function openForReadingIfExists(path: string): number | undefined {
  try {
    return openSync(path, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return undefined;
    }
    throw error;
  }
}

import { closeSync, fstatSync, readSync } from 'node:fs';
import { openForReadingIfExists } from '../../fs/readBytes';

// Reads many whole files into one reused buffer. Allocating a buffer per file costs more than the
// reading itself when a search touches thousands of files, so each returned view is only valid
// until the next read.

const INITIAL_SIZE = 1 << 20;

export class ReusableFileReader {
  private buffer = Buffer.allocUnsafe(INITIAL_SIZE);

  /** The file's bytes (a view into the shared buffer), or undefined when it does not exist. */
  read(path: string): Buffer | undefined {
    const fd = openForReadingIfExists(path);
    if (fd === undefined) {
      return undefined;
    }
    try {
      return this.readAll(fd);
    } finally {
      closeSync(fd);
    }
  }

  private readAll(fd: number): Buffer {
    this.ensureCapacity(fstatSync(fd).size + 1);
    let length = 0;
    for (;;) {
      const read = readSync(fd, this.buffer, length, this.buffer.length - length, length);
      if (read === 0) {
        return this.buffer.subarray(0, length);
      }
      length += read;
      // The file grew while we read it: make room and keep going.
      this.ensureCapacity(length + 1);
    }
  }

  private ensureCapacity(size: number): void {
    if (size > this.buffer.length) {
      const grown = Buffer.allocUnsafe(Math.max(size, this.buffer.length * 2));
      this.buffer.copy(grown);
      this.buffer = grown;
    }
  }
}

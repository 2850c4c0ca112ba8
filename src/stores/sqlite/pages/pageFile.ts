import { closeSync, fstatSync, readSync } from 'node:fs';
import { openForReadingIfExists } from '../../fs/readBytes';

// A database file opened for reading its pages, as SQLite's file format describes them
// (https://www.sqlite.org/fileformat2.html): the header, then pages of `pageSize` bytes numbered
// from 1. Used to read a few rows of a store's database without loading all of it into sql.js
// (btree.ts). The store replaces its file by renaming a new one over it, so one open file is one
// consistent database for as long as it is held. Anything that is not as the format says throws
// PageFormatError: the caller then loads the database the usual way, which checks it properly.

export class PageFormatError extends Error {}

const MAGIC = Buffer.from('SQLite format 3\0', 'latin1');
const HEADER_BYTES = 100;
const UTF8 = 1;
/** Pages kept once read: a lookup reads a handful, the schema's and the trees' tops again and again. */
const CACHED_PAGES = 256;

export class PageFile {
  private readonly cache = new Map<number, Buffer>();

  private constructor(
    private readonly fd: number,
    readonly pageSize: number,
    /** The bytes of each page the trees use (the rest is reserved). */
    readonly usableSize: number,
    readonly pageCount: number,
  ) {}

  /** The file, opened; undefined when it is missing. Throws PageFormatError when it is no database this can read. */
  static open(path: string): PageFile | undefined {
    let fd: number | undefined;
    try {
      fd = openForReadingIfExists(path);
    } catch {
      throw new PageFormatError('the file cannot be opened'); // the database's own load says why
    }
    if (fd === undefined) {
      return undefined;
    }
    try {
      const { pageSize, reserved } = readHeader(fd);
      return new PageFile(fd, pageSize, pageSize - reserved, Math.floor(fstatSync(fd).size / pageSize));
    } catch (error) {
      closeSync(fd);
      throw error;
    }
  }

  /** Page `number` (from 1), whole. */
  page(number: number): Buffer {
    if (!Number.isInteger(number) || number < 1 || number > this.pageCount) {
      throw new PageFormatError(`page ${number} is outside the file`);
    }
    const cached = this.cache.get(number);
    if (cached) {
      return cached;
    }
    const page = Buffer.alloc(this.pageSize);
    if (readSync(this.fd, page, 0, this.pageSize, (number - 1) * this.pageSize) !== this.pageSize) {
      throw new PageFormatError(`page ${number} is cut short`);
    }
    if (this.cache.size >= CACHED_PAGES) {
      this.cache.delete(this.cache.keys().next().value as number);
    }
    this.cache.set(number, page);
    return page;
  }

  close(): void {
    this.cache.clear();
    closeSync(this.fd);
  }
}

/** The page layout the header gives, when it is one this reads. */
function readHeader(fd: number): { pageSize: number; reserved: number } {
  const header = Buffer.alloc(HEADER_BYTES);
  if (readSync(fd, header, 0, HEADER_BYTES, 0) !== HEADER_BYTES || !header.subarray(0, MAGIC.length).equals(MAGIC)) {
    throw new PageFormatError('not a SQLite database');
  }
  const sizeField = header.readUInt16BE(16);
  const pageSize = sizeField === 1 ? 65_536 : sizeField;
  const reserved = header.readUInt8(20);
  if (pageSize < 512 || (pageSize & (pageSize - 1)) !== 0 || pageSize - reserved < 480 || header.readUInt32BE(56) !== UTF8) {
    throw new PageFormatError('a page layout or text encoding this reader does not know');
  }
  return { pageSize, reserved };
}

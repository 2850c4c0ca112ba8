// Applies the committed frames of a SQLite write-ahead log to a copy of its database, in memory:
// what a checkpoint would do, without touching either file. Cursor keeps its state.vscdb in WAL
// mode, so its latest chats can sit in `state.vscdb-wal` until Cursor checkpoints. Format
// (sqlite.org/fileformat2.html#walformat): a 32-byte header, then frames of a 24-byte header and
// one page. A frame counts only if its salts match the header's and the running checksum holds;
// frames after the last commit frame (one with the database size set) are left out, as SQLite does.

const WAL_HEADER = 32;
const FRAME_HEADER = 24;
const MAGIC_LITTLE_ENDIAN = 0x377f0682;
const MAGIC_BIG_ENDIAN = 0x377f0683;
const WAL_VERSION = 3007000;

interface Checksum {
  s0: number;
  s1: number;
}

/** The database with the WAL's committed pages in it; undefined when the WAL cannot belong to it. */
export function applyWal(database: Uint8Array, wal: Uint8Array): Uint8Array | undefined {
  const view = new DataView(wal.buffer, wal.byteOffset, wal.byteLength);
  const header = walHeader(view, database);
  if (!header) {
    return undefined;
  }
  const committed = lastCommit(view, header.pageSize, header.bigEndian, header.sum);
  if (committed && committed.size * header.pageSize > database.byteLength + wal.byteLength) {
    return undefined; // more pages than the database and the log hold between them
  }
  return committed ? withPages(database, view, committed, header.pageSize) : new Uint8Array(database);
}

/** The header's byte order, page size and checksum, when it is a valid header for this database. */
function walHeader(view: DataView, database: Uint8Array): { bigEndian: boolean; pageSize: number; sum: Checksum } | undefined {
  if (view.byteLength < WAL_HEADER) {
    return undefined;
  }
  const magic = view.getUint32(0);
  const bigEndian = magic === MAGIC_BIG_ENDIAN;
  const pageSize = view.getUint32(8);
  if ((magic !== MAGIC_LITTLE_ENDIAN && !bigEndian) || view.getUint32(4) !== WAL_VERSION || pageSize !== pageSizeOf(database)) {
    return undefined;
  }
  const sum = checksum({ s0: 0, s1: 0 }, view, 0, 24, bigEndian);
  return sum.s0 === view.getUint32(24) && sum.s1 === view.getUint32(28) ? { bigEndian, pageSize, sum } : undefined;
}

interface Committed {
  /** Where the frames up to and including the last commit frame end. */
  end: number;
  /** The database's size in pages after that commit. */
  size: number;
}

function lastCommit(view: DataView, pageSize: number, bigEndian: boolean, start: Checksum): Committed | undefined {
  const salt = [view.getUint32(16), view.getUint32(20)];
  let committed: Committed | undefined;
  let sum = start;
  for (let at = WAL_HEADER; at + FRAME_HEADER + pageSize <= view.byteLength; at += FRAME_HEADER + pageSize) {
    if (view.getUint32(at) === 0 || view.getUint32(at + 8) !== salt[0] || view.getUint32(at + 12) !== salt[1]) {
      break;
    }
    sum = checksum(checksum(sum, view, at, 8, bigEndian), view, at + FRAME_HEADER, pageSize, bigEndian);
    if (sum.s0 !== view.getUint32(at + 16) || sum.s1 !== view.getUint32(at + 20)) {
      break;
    }
    const size = view.getUint32(at + 4);
    committed = size > 0 ? { end: at + FRAME_HEADER + pageSize, size } : committed;
  }
  return committed;
}

/** SQLite's WAL checksum: 32-bit words in pairs, in the byte order the magic number names. */
function checksum(from: Checksum, view: DataView, offset: number, length: number, bigEndian: boolean): Checksum {
  let { s0, s1 } = from;
  for (let at = offset; at < offset + length; at += 8) {
    s0 = (s0 + view.getUint32(at, !bigEndian) + s1) >>> 0;
    s1 = (s1 + view.getUint32(at + 4, !bigEndian) + s0) >>> 0;
  }
  return { s0, s1 };
}

function pageSizeOf(database: Uint8Array): number {
  const raw = (database[16] << 8) | database[17];
  return raw === 1 ? 65_536 : raw;
}

/** Later frames of a page replace earlier ones; pages past the committed size are cut off. */
function withPages(database: Uint8Array, wal: DataView, committed: Committed, pageSize: number): Uint8Array {
  const result = new Uint8Array(committed.size * pageSize);
  result.set(database.subarray(0, Math.min(database.byteLength, result.byteLength)));
  const frames = new Uint8Array(wal.buffer, wal.byteOffset, committed.end);
  for (let at = WAL_HEADER; at < committed.end; at += FRAME_HEADER + pageSize) {
    const page = wal.getUint32(at);
    if (page <= committed.size) {
      result.set(frames.subarray(at + FRAME_HEADER, at + FRAME_HEADER + pageSize), (page - 1) * pageSize);
    }
  }
  return result;
}

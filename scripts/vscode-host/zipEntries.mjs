// Reads a .vsix (a zip) without a library: the central directory lists every entry with its size; one entry's
// bytes come from its local header (stored, or deflated: vsce writes both). Enough for checking what a package
// holds; not a general zip reader (no zip64, no encryption: vsce writes neither for a package this size).
import { readFileSync } from 'node:fs';
import { inflateRawSync } from 'node:zlib';

const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const CENTRAL_ENTRY = 0x02014b50;
const LOCAL_HEADER = 0x04034b50;

function findEndOfCentralDirectory(zip) {
  // The record is 22 bytes plus a comment of up to 64 KiB, at the very end.
  for (let offset = zip.length - 22; offset >= Math.max(0, zip.length - 22 - 0xffff); offset--) {
    if (zip.readUInt32LE(offset) === END_OF_CENTRAL_DIRECTORY) {
      return offset;
    }
  }
  throw new Error('not a zip file (no end of central directory record)');
}

/** `{ zip, entries: [{ name, size, compressedSize, method, headerOffset }] }` */
export function readZip(path) {
  const zip = readFileSync(path);
  const end = findEndOfCentralDirectory(zip);
  const count = zip.readUInt16LE(end + 10);
  const entries = [];
  for (let offset = zip.readUInt32LE(end + 16), index = 0; index < count; index++) {
    if (zip.readUInt32LE(offset) !== CENTRAL_ENTRY) {
      throw new Error(`${path}: damaged central directory at entry ${index}`);
    }
    const nameLength = zip.readUInt16LE(offset + 28);
    const extraLength = zip.readUInt16LE(offset + 30);
    const commentLength = zip.readUInt16LE(offset + 32);
    entries.push({
      name: zip.toString('utf8', offset + 46, offset + 46 + nameLength),
      method: zip.readUInt16LE(offset + 10),
      compressedSize: zip.readUInt32LE(offset + 20),
      size: zip.readUInt32LE(offset + 24),
      headerOffset: zip.readUInt32LE(offset + 42),
    });
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return { zip, entries };
}

/** The bytes of one entry. */
export function entryBytes({ zip }, entry) {
  if (zip.readUInt32LE(entry.headerOffset) !== LOCAL_HEADER) {
    throw new Error(`damaged local header for ${entry.name}`);
  }
  const start = entry.headerOffset + 30 + zip.readUInt16LE(entry.headerOffset + 26) + zip.readUInt16LE(entry.headerOffset + 28);
  const raw = zip.subarray(start, start + entry.compressedSize);
  const bytes = entry.method === 0 ? raw : entry.method === 8 ? inflateRawSync(raw) : undefined;
  if (!bytes || bytes.length !== entry.size) {
    throw new Error(`${entry.name}: unsupported compression method ${entry.method} or wrong size`);
  }
  return bytes;
}

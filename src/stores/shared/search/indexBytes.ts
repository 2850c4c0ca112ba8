import { createHash } from 'node:crypto';
import * as zlib from 'node:zlib';

// Byte helpers of the saved word index: typed arrays as bytes, little-endian words, the checksum.

export function bytesOf(array: Int32Array | Uint32Array | Float64Array): Uint8Array {
  return new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
}

export function u32(value: number): Buffer {
  const out = Buffer.alloc(4);
  out.writeUInt32LE(value >>> 0);
  return out;
}

/** zlib's CRC-32 (Node 20.15+); on an older runtime, the first 4 bytes of a SHA-1 chained the same way. */
export function crc32(data: Uint8Array, previous: number): number {
  const native = (zlib as { crc32?: (data: Uint8Array, value?: number) => number }).crc32;
  if (native) {
    return native(data, previous);
  }
  return createHash('sha1').update(u32(previous)).update(data).digest().readUInt32LE(0);
}

import { PageFormatError } from './pageFile';

// SQLite's varints and records (https://www.sqlite.org/fileformat2.html#record_format), decoded
// from bytes read off a database file's pages; whatever does not fit the format throws
// PageFormatError.

export type Value = number | string | Uint8Array | null;

/** A varint at `at`: its value (as a number: rowids and sizes here stay far below 2^53) and where it ends. */
export function varint(bytes: Buffer, at: number): [value: number, end: number] {
  let value = 0;
  for (let i = 0; i < 8; i++) {
    const byte = bytes[at + i];
    if (byte === undefined) {
      throw new PageFormatError('a varint runs off its page');
    }
    value = value * 128 + (byte & 0x7f);
    if (byte < 0x80) {
      return [value, at + i + 1];
    }
  }
  const last = bytes[at + 8];
  if (last === undefined) {
    throw new PageFormatError('a varint runs off its page');
  }
  return [value * 256 + last, at + 9];
}

/** `length` bytes at `at`, all of them inside `bytes`. */
export function checkedSlice(bytes: Buffer, at: number, length: number): Buffer {
  if (at + length > bytes.length) {
    throw new PageFormatError('a payload runs off its page');
  }
  return bytes.subarray(at, at + length);
}

/** A record's values, as the file format encodes them (https://www.sqlite.org/fileformat2.html#record_format). */
export function decodeRecord(payload: Buffer): Value[] {
  const [headerSize, typesStart] = varint(payload, 0);
  const types: number[] = [];
  for (let at = typesStart; at < headerSize; ) {
    const [type, end] = varint(payload, at);
    types.push(type);
    at = end;
  }
  const values: Value[] = [];
  let at = headerSize;
  for (const type of types) {
    const [value, size] = valueOf(payload, at, type);
    values.push(value);
    at += size;
  }
  if (at > payload.length) {
    throw new PageFormatError('a record longer than its payload');
  }
  return values;
}

const INTEGER_BYTES = [0, 1, 2, 3, 4, 6, 8];

function valueOf(payload: Buffer, at: number, type: number): [Value, number] {
  if (type === 0) {
    return [null, 0];
  }
  if (type >= 1 && type <= 6) {
    const size = INTEGER_BYTES[type];
    return [size === 8 ? Number(payload.readBigInt64BE(at)) : payload.readIntBE(at, size), size];
  }
  if (type === 7) {
    return [payload.readDoubleBE(at), 8];
  }
  if (type === 8 || type === 9) {
    return [type - 8, 0];
  }
  if (type >= 12) {
    const size = Math.floor((type - 12) / 2);
    const bytes = checkedSlice(payload, at, size);
    return [type % 2 === 1 ? bytes.toString('utf8') : Uint8Array.from(bytes), size];
  }
  throw new PageFormatError(`a record value of unknown type ${type}`);
}

/** BINARY collation: the UTF-8 bytes compared, the shorter first when one starts the other. */
export function compareText(wanted: Buffer, value: Value): number {
  if (typeof value !== 'string') {
    throw new PageFormatError('an index entry that is not text');
  }
  return wanted.compare(Buffer.from(value, 'utf8'));
}

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

/** One value of a record, the others skipped over (a message's id, not its content). */
export function recordValue(payload: Buffer, column: number): Value {
  const [headerSize, typesStart] = varint(payload, 0);
  let at = headerSize;
  let typeAt = typesStart;
  for (let index = 0; typeAt < headerSize; index++) {
    const [type, end] = varint(payload, typeAt);
    if (index === column) {
      return valueOf(payload, at, type)[0];
    }
    at += sizeOf(type);
    typeAt = end;
  }
  return null; // a column added after the row was written
}

function sizeOf(type: number): number {
  if (type >= 12) {
    return Math.floor((type - 12) / 2);
  }
  return type === 7 ? 8 : (INTEGER_BYTES[type] ?? 0);
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

/** The bytes of a record's first value, which must be text (an index key): compared as BINARY collation compares, bytes first, then length. */
export function firstColumn(payload: Buffer): Buffer {
  const [headerSize, typesStart] = varint(payload, 0);
  const [type] = varint(payload, typesStart);
  if (type < 13 || type % 2 === 0) {
    throw new PageFormatError('an index entry that is not text');
  }
  return checkedSlice(payload, headerSize, (type - 13) / 2);
}

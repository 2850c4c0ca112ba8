// The messages that hold one word, as the gaps between their ordinals in varint bytes: ordinals
// only grow (a new or changed message gets the next one), so a list is appended to and never
// rewritten, and a word in every one of 200,000 messages takes ~200 KB. Pure.

const INITIAL_BYTES = 8;

export class PostingList {
  bytes: Uint8Array = new Uint8Array(INITIAL_BYTES);
  length = 0;
  /** The last ordinal added; -1 while empty. */
  last = -1;
  count = 0;

  /** Adds an ordinal above every one already in the list (one already there is ignored). */
  add(ordinal: number): void {
    if (ordinal <= this.last) {
      return;
    }
    let gap = ordinal - this.last;
    if (this.length + 5 > this.bytes.length) {
      const grown = new Uint8Array(Math.max(INITIAL_BYTES, this.bytes.length * 2));
      grown.set(this.bytes.subarray(0, this.length));
      this.bytes = grown;
    }
    while (gap >= 0x80) {
      this.bytes[this.length++] = (gap & 0x7f) | 0x80;
      gap >>>= 7;
    }
    this.bytes[this.length++] = gap;
    this.last = ordinal;
    this.count++;
  }

  /** Gives back the room kept for growth (after a build: a quarter of the lists' bytes, on average). */
  trim(): void {
    if (this.bytes.length > this.length + 8) {
      this.bytes = this.bytes.slice(0, this.length);
    }
  }

  /** The bytes in use, without the room kept for growth: what a saved index holds. */
  compact(): Uint8Array {
    return this.bytes.subarray(0, this.length);
  }

  /** A list as saved (the saved file's checksum vouches for the bytes; search ignores ordinals out of range). */
  static fromBytes(bytes: Uint8Array, count: number, last: number): PostingList {
    const list = new PostingList();
    list.bytes = bytes;
    list.length = bytes.length;
    list.count = count;
    list.last = last;
    return list;
  }

  /** Calls `visit` with every ordinal, in increasing order. */
  forEach(visit: (ordinal: number) => void): void {
    const { bytes, length } = this;
    let ordinal = -1;
    let at = 0;
    while (at < length) {
      let byte = bytes[at++];
      let gap = byte & 0x7f;
      let shift = 7;
      while (byte & 0x80) {
        byte = bytes[at++];
        gap |= (byte & 0x7f) << shift;
        shift += 7;
      }
      ordinal += gap;
      visit(ordinal);
    }
  }
}

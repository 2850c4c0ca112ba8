// The messages that hold one word, as the gaps between their ordinals in varint bytes: ordinals
// only grow (a new or changed message gets the next one), so a list is appended to and never
// rewritten, and a word in every one of 200,000 messages takes ~200 KB. Pure.

const INITIAL_BYTES = 8;

export class PostingList {
  /** Read through bytesNow(): a list of a saved index may not be read in yet. */
  bytes: Uint8Array = new Uint8Array(INITIAL_BYTES);
  length = 0;
  /** The last ordinal added; -1 while empty. */
  last = -1;
  count = 0;
  /** Reads the bytes of a list left in its saved file, once; they may throw if the file lies. */
  private unread: (() => Uint8Array) | undefined;

  /** The list's bytes (the first `length` of them), read in from its file if need be. */
  bytesNow(): Uint8Array {
    if (this.unread) {
      // Only a read that succeeded counts: one that threw (a damaged file) throws again next time.
      this.bytes = this.unread();
      this.unread = undefined;
    }
    return this.bytes;
  }

  /** Adds an ordinal above every one already in the list (one already there is ignored). */
  add(ordinal: number): void {
    if (ordinal <= this.last) {
      return;
    }
    if (this.unread) {
      this.bytesNow();
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

  /** Adds ordinals[from, to), which grow, as add() would one by one (termTable.ts queues them). */
  addRun(ordinals: Int32Array, from: number, to: number): void {
    if (this.unread) {
      this.bytesNow();
    }
    if (this.length + (to - from) * 5 > this.bytes.length) {
      const grown = new Uint8Array(Math.max(this.bytes.length * 2, this.length + (to - from) * 5));
      grown.set(this.bytes.subarray(0, this.length));
      this.bytes = grown;
    }
    const { bytes } = this;
    let { length, last, count } = this;
    for (let at = from; at < to; at++) {
      const ordinal = ordinals[at];
      if (ordinal > last) {
        let gap = ordinal - last;
        while (gap >= 0x80) {
          bytes[length++] = (gap & 0x7f) | 0x80;
          gap >>>= 7;
        }
        bytes[length++] = gap;
        last = ordinal;
        count++;
      }
    }
    this.length = length;
    this.last = last;
    this.count = count;
  }

  /** Gives back the room kept for growth (after a build: a quarter of the lists' bytes, on average). */
  trim(): void {
    if (!this.unread && this.bytes.length > this.length + 8) {
      this.bytes = this.bytes.slice(0, this.length);
    }
  }

  /** The bytes in use, without the room kept for growth: what a saved index holds. */
  compact(): Uint8Array {
    return this.bytesNow().subarray(0, this.length);
  }

  /** A list of a saved index whose bytes stay in the file until a query needs them. */
  static unreadFrom(read: () => Uint8Array, length: number, count: number, last: number): PostingList {
    const list = new PostingList();
    list.bytes = new Uint8Array(0);
    list.unread = read;
    list.length = length;
    list.count = count;
    list.last = last;
    return list;
  }

  /** Calls `visit` with every ordinal, in increasing order. */
  forEach(visit: (ordinal: number) => void): void {
    const bytes = this.bytesNow();
    const { length } = this;
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

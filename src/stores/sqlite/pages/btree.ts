import { PageFile, PageFormatError } from './pageFile';
import { Value, checkedSlice, decodeRecord, firstColumn, varint } from './records';

export type { Value } from './records';

// SQLite's b-trees, read from the pages of a file (pageFile.ts) for the few lookups a search
// needs: a table row by rowid, the rows of a table in a rowid range, and an index entry by its
// first column (text, in the BINARY order). Cells, overflow chains and records are decoded as
// the file format describes; whatever does not fit it throws PageFormatError.

const TABLE_INTERIOR = 5;
const TABLE_LEAF = 13;
const INDEX_INTERIOR = 2;
const INDEX_LEAF = 10;
/** Far deeper than any tree of a store's size: a loop in a damaged file ends here. */
const MAX_DEPTH = 24;

interface TreePage {
  type: number;
  interior: boolean;
  page: Buffer;
  /** Where the page's header starts (100 on page 1, after the file header). */
  start: number;
  cells: number;
  rightChild: number;
}

function treePage(file: PageFile, number: number): TreePage {
  const page = file.page(number);
  const start = number === 1 ? 100 : 0;
  const type = page[start];
  if (type !== TABLE_INTERIOR && type !== TABLE_LEAF && type !== INDEX_INTERIOR && type !== INDEX_LEAF) {
    throw new PageFormatError(`page ${number} is not a b-tree page`);
  }
  const interior = type === TABLE_INTERIOR || type === INDEX_INTERIOR;
  return { type, interior, page, start, cells: page.readUInt16BE(start + 3), rightChild: interior ? page.readUInt32BE(start + 8) : 0 };
}

function cellOffset(tree: TreePage, cell: number): number {
  const pointers = tree.start + (tree.interior ? 12 : 8);
  const offset = tree.page.readUInt16BE(pointers + 2 * cell);
  if (offset < pointers || offset >= tree.page.length) {
    throw new PageFormatError('a cell outside its page');
  }
  return offset;
}

/** A cell's payload, with its overflow pages followed. */
function payloadAt(file: PageFile, tree: TreePage, at: number, size: number): Buffer {
  const usable = file.usableSize;
  const table = tree.type === TABLE_LEAF;
  const maxLocal = table ? usable - 35 : Math.floor(((usable - 12) * 64) / 255) - 23;
  const minLocal = Math.floor(((usable - 12) * 32) / 255) - 23;
  if (size <= maxLocal) {
    return checkedSlice(tree.page, at, size);
  }
  const spill = minLocal + ((size - minLocal) % (usable - 4));
  const local = spill <= maxLocal ? spill : minLocal;
  const parts = [checkedSlice(tree.page, at, local)];
  let next = tree.page.readUInt32BE(at + local);
  for (let have = local, hops = 0; have < size; hops++) {
    if (hops > file.pageCount) {
      throw new PageFormatError('an overflow chain that loops');
    }
    const overflow = file.page(next);
    const take = Math.min(size - have, usable - 4);
    parts.push(checkedSlice(overflow, 4, take));
    have += take;
    next = overflow.readUInt32BE(0);
  }
  return Buffer.concat(parts, size);
}

/** Rowids from `from` up to (not including) `to`. */
export interface RowRange {
  from: number;
  to: number;
}

/** One row of a table b-tree: its rowid and its record, left encoded (decodeRecord, recordValue) until it is wanted. */
export interface TableRow {
  rowid: number;
  payload: Buffer;
}

function tableCell(file: PageFile, tree: TreePage, cell: number): TableRow {
  const [size, afterSize] = varint(tree.page, cellOffset(tree, cell));
  const [rowid, afterRowid] = varint(tree.page, afterSize);
  return { rowid, payload: payloadAt(file, tree, afterRowid, size) };
}

/**
 * The rows of the table rooted at `root` with from <= rowid < to, in order, until `wanted` says
 * stop (returns false); false when it stopped before the range ended.
 */
export function eachTableRow(file: PageFile, root: number, range: RowRange, wanted: (row: TableRow) => boolean, depth = 0): boolean {
  if (depth > MAX_DEPTH) {
    throw new PageFormatError('a table deeper than any this store makes');
  }
  const tree = treePage(file, root);
  if (tree.type === TABLE_LEAF) {
    return walkLeaf(file, tree, range, wanted);
  }
  if (tree.type !== TABLE_INTERIOR) {
    throw new PageFormatError('an index page inside a table');
  }
  const keyOf = (cell: number): number => varint(tree.page, cellOffset(tree, cell) + 4)[0];
  for (let cell = firstAtLeast(tree.cells, keyOf, range.from); cell < tree.cells; cell++) {
    const at = cellOffset(tree, cell);
    const key = keyOf(cell);
    // The left child holds the rowids up to its key.
    if (key >= range.from && !eachTableRow(file, tree.page.readUInt32BE(at), range, wanted, depth + 1)) {
      return false;
    }
    if (key >= range.to) {
      return false;
    }
  }
  return eachTableRow(file, tree.rightChild, range, wanted, depth + 1);
}

/** The first of `count` sorted keys at or above `wanted` (count when none is), found by halves. */
function firstAtLeast(count: number, keyOf: (index: number) => number, wanted: number): number {
  let low = 0;
  let high = count;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (keyOf(middle) < wanted) {
      low = middle + 1;
    } else {
      high = middle;
    }
  }
  return low;
}

/** A leaf's rows in the range; false once the walk should stop (past the range, or `wanted` says so). */
function walkLeaf(file: PageFile, tree: TreePage, range: RowRange, wanted: (row: TableRow) => boolean): boolean {
  const rowidOf = (cell: number): number => varint(tree.page, varint(tree.page, cellOffset(tree, cell))[1])[0];
  for (let cell = firstAtLeast(tree.cells, rowidOf, range.from); cell < tree.cells; cell++) {
    const rowid = rowidOf(cell);
    if (rowid >= range.to || (rowid >= range.from && !wanted(tableCell(file, tree, cell)))) {
      return false;
    }
  }
  return true;
}

/** The row with this rowid, if the table has one. */
export function tableRow(file: PageFile, root: number, rowid: number): TableRow | undefined {
  let found: TableRow | undefined;
  eachTableRow(file, root, { from: rowid, to: rowid + 1 }, (row) => {
    found = row;
    return false;
  });
  return found;
}

/** The entry of the index rooted at `root` whose first column is `key` (text), if there is one. */
export function indexEntry(file: PageFile, root: number, key: string): Value[] | undefined {
  const wanted = Buffer.from(key, 'utf8');
  for (let number = root, depth = 0; depth <= MAX_DEPTH; depth++) {
    const tree = treePage(file, number);
    if (tree.type !== INDEX_LEAF && tree.type !== INDEX_INTERIOR) {
      throw new PageFormatError('a table page inside an index');
    }
    const step = searchIndexPage(file, tree, wanted);
    if (step.found || step.child === 0) {
      return step.found;
    }
    number = step.child;
  }
  throw new PageFormatError('an index deeper than any this store makes');
}

/**
 * One page of an index search, by halves over its sorted cells, comparing the first column's
 * bytes where they lie: the entry, or the child to go on in (0: nowhere, it is not there).
 */
function searchIndexPage(file: PageFile, tree: TreePage, wanted: Buffer): { found?: Value[]; child: number } {
  const payloadOf = (cell: number): Buffer => {
    const at = cellOffset(tree, cell);
    const [size, payloadStart] = varint(tree.page, tree.interior ? at + 4 : at);
    return payloadAt(file, tree, payloadStart, size);
  };
  let low = 0;
  let high = tree.cells;
  while (low < high) {
    const middle = (low + high) >>> 1;
    const order = wanted.compare(firstColumn(payloadOf(middle)));
    if (order === 0) {
      return { found: decodeRecord(payloadOf(middle)), child: 0 };
    }
    if (order < 0) {
      high = middle;
    } else {
      low = middle + 1;
    }
  }
  // Keys below the first cell's key at or after `wanted` live in its left child; past the last, in the right one.
  if (!tree.interior) {
    return { child: 0 };
  }
  return { child: low < tree.cells ? tree.page.readUInt32BE(cellOffset(tree, low)) : tree.rightChild };
}

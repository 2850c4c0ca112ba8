import { Database } from 'sql.js';
import { headerProblem } from '../database/databaseFile';

// The bytes of a sql.js database as they are, without `export()`'s copy. sql.js keeps each
// database in a file of its in-memory file system (Emscripten's MEMFS, a Uint8Array per file)
// and `export()` copies all of it into a second array of the same size: at 100 MB that copy is
// a third of the process's peak. sql.js does not expose the file system, but every MEMFS file
// shares one table of stream operations, and the file's node comes past its `read`:
//   1. `export()` hands that table to `Object.create` before it does anything else; there it is
//      taken and the export is stopped (its own cleanup removes the file it had just created);
//   2. a query reads the database file's change counter, through that table's `read`, which
//      shows the file's node.
// Anything unexpected (another sql.js build, an empty file, a header that does not add up)
// answers undefined, and the caller exports as before.
//
// The image is the live file: valid only until the next statement writes to the database, so it
// must be written out before anything else can run (see writeSnapshotFile). Between
// transactions it is a whole database: SQLite writes every changed page at commit.

interface StreamOps {
  read: (stream: { node?: object }, ...rest: unknown[]) => unknown;
  write: unknown;
}

const nodes = new WeakMap<Database, object>();
let streamOps: StreamOps | undefined | null;

export function databaseImage(db: Database): Uint8Array | undefined {
  try {
    return imageOf(db);
  } catch {
    return undefined;
  }
}

function imageOf(db: Database): Uint8Array | undefined {
  const node = nodes.get(db) ?? findFileNode(db);
  const contents = node && Object.values(node).find((value): value is Uint8Array => value instanceof Uint8Array);
  if (!contents) {
    return undefined;
  }
  const [pageCount, pageSize] = db.exec('PRAGMA page_count; PRAGMA page_size').map((result) => Number(result.values[0]?.[0]));
  const size = pageCount * pageSize;
  if (!(size > 0) || contents.byteLength < size) {
    return undefined;
  }
  const image = contents.subarray(0, size);
  // Bytes 18 and 19 say "rollback journal", as export() makes them; a WAL file would differ.
  return headerProblem(image) === undefined && image[18] === 1 && image[19] === 1 ? image : undefined;
}

function findFileNode(db: Database): object | undefined {
  const ops = memfsStreamOps(db);
  if (!ops) {
    return undefined;
  }
  const read = ops.read;
  let node: object | undefined;
  ops.read = function (this: unknown, stream, ...rest) {
    node ??= stream.node;
    return read.call(this, stream, ...rest);
  };
  try {
    db.exec('SELECT 1 FROM sqlite_master LIMIT 1');
  } finally {
    ops.read = read;
  }
  const filename = (db as unknown as { filename?: unknown }).filename;
  if (!node || (node as { name?: unknown }).name !== filename) {
    return undefined;
  }
  nodes.set(db, node);
  return node;
}

/** Found once per process (sql.js is loaded once); null once it turned out not to be there. */
function memfsStreamOps(db: Database): StreamOps | undefined {
  if (streamOps === undefined) {
    // An empty database of the same sql.js instance: its export is tiny should this not work.
    const scratch = new (db.constructor as new () => Database)();
    try {
      streamOps = captureStreamOps(scratch) ?? null;
    } finally {
      scratch.close();
    }
  }
  return streamOps ?? undefined;
}

function captureStreamOps(db: Database): StreamOps | undefined {
  const create = Object.create;
  const stop = new Error('stream operations found');
  let found: StreamOps | undefined;
  Object.create = function (proto: unknown, ...rest: unknown[]): unknown {
    if (!found && isStreamOps(proto)) {
      found = proto;
      throw stop;
    }
    return Reflect.apply(create, Object, [proto, ...rest]);
  } as typeof Object.create;
  try {
    db.export();
  } catch (error) {
    if (error !== stop) {
      return undefined;
    }
  } finally {
    Object.create = create;
  }
  return found;
}

function isStreamOps(value: unknown): value is StreamOps {
  const ops = value as Partial<StreamOps> | null;
  return typeof ops === 'object' && ops !== null && typeof ops.read === 'function' && typeof ops.write === 'function';
}

import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import initSqlJs, { SqlJsStatic } from 'sql.js';
import { storeUnavailable } from '../../../core/errors';

// Loads sql.js once per process. Bundles ship `sql-wasm.wasm` beside themselves (scripts/build.mjs
// copies it to dist/); running from source, the copy inside node_modules is used instead.

let loading: Promise<SqlJsStatic> | undefined;

export function loadSqlJs(): Promise<SqlJsStatic> {
  loading ??= initSqlJs({ wasmBinary: readWasm() }).catch((error: unknown) => {
    loading = undefined;
    throw storeUnavailable('could not start the SQLite engine (sql.js)', error);
  });
  return loading;
}

function readWasm(): ArrayBuffer {
  const bytes = readFileSync(wasmPath());
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
}

function wasmPath(): string {
  const besideBundle = join(__dirname, 'sql-wasm.wasm');
  // createRequire keeps esbuild from trying to bundle the wasm file it cannot load.
  return existsSync(besideBundle) ? besideBundle : createRequire(__filename).resolve('sql.js/dist/sql-wasm.wasm');
}

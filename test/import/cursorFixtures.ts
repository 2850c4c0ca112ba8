// Cursor state.vscdb fixtures, built with sql.js at test time so that a reader sees what is in
// them: a global database of composer chats, a workspace database of the older chat panel, one
// with neither, and a WAL-mode pair (database + `-wal`). Values are JSON, some stored as BLOBs as
// Cursor does.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { loadSqlJs } from '../../src/stores/sqlite/database/wasmLoader';

export type Table = 'ItemTable' | 'cursorDiskKV';

export interface Row {
  table: Table;
  key: string;
  /** Stored as JSON text; a `raw` string is stored as it is (to store what is not JSON). */
  value: unknown;
  raw?: string;
  blob?: boolean;
}

export const kv = (key: string, value: unknown, blob = false): Row => ({ table: 'cursorDiskKV', key, value, blob });
export const item = (key: string, value: unknown): Row => ({ table: 'ItemTable', key, value });

/** The bytes of a state.vscdb holding `rows` (and the cursorDiskKV table unless told not to). */
export async function databaseBytes(rows: readonly Row[], options: { kvTable?: boolean } = {}): Promise<Uint8Array> {
  const sql = await loadSqlJs();
  const db = new sql.Database();
  try {
    db.run('CREATE TABLE ItemTable (key TEXT UNIQUE ON CONFLICT REPLACE, value BLOB)');
    if (options.kvTable ?? true) {
      db.run('CREATE TABLE cursorDiskKV (key TEXT UNIQUE ON CONFLICT REPLACE, value BLOB)');
    }
    for (const row of rows) {
      const text = row.raw ?? JSON.stringify(row.value);
      db.run(`INSERT INTO ${row.table} (key, value) VALUES (?, ?)`, [row.key, row.blob ? Buffer.from(text, 'utf8') : text]);
    }
    return db.export();
  } finally {
    db.close();
  }
}

export async function writeDatabase(file: string, rows: readonly Row[], options: { kvTable?: boolean } = {}): Promise<void> {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, await databaseBytes(rows, options));
}

const T0 = Date.UTC(2025, 0, 1); // 2025-01-01T00:00:00.000Z

/** Composer A: bubbles in their own keys (some BLOBs), with tool, thinking, unknown and missing ones. */
export const COMPOSER_A: Row[] = [
  kv('composerData:comp-a', {
    _v: 10,
    composerId: 'comp-a',
    name: 'Fix the parser',
    createdAt: T0,
    lastUpdatedAt: T0 + 3_600_000,
    status: 'completed',
    someFutureField: { nested: [1, 2] },
    fullConversationHeadersOnly: [
      { bubbleId: 'b1', type: 1 },
      { bubbleId: 'b2', type: 2 },
      { bubbleId: 'b3', type: 2 },
      { bubbleId: 'b4', type: 2, serverBubbleId: 's4' },
      { bubbleId: 'b5', type: 2 },
      { bubbleId: 'b6', type: 2 },
    ],
  }),
  kv('bubbleId:comp-a:b1', { _v: 3, type: 1, bubbleId: 'b1', text: 'Why does parse() fail on empty input?', richText: '{"root":{}}', createdAt: '2025-01-01T00:00:05.000Z', modelInfo: { modelName: 'claude-3.5-sonnet' } }, true),
  kv('bubbleId:comp-a:b2', { _v: 3, type: 2, bubbleId: 'b2', text: '', toolFormerData: { name: 'read_file', status: 'completed', rawArgs: '{}' } }, true),
  kv('bubbleId:comp-a:b3', { _v: 3, type: 2, bubbleId: 'b3', text: '', thinking: { text: 'Looking at the guard clause.' } }),
  kv('bubbleId:comp-a:b4', { _v: 3, type: 2, bubbleId: 'b4', text: 'It reads `input[0]` before checking the length.', createdAt: T0 + 60_000, codeBlocks: [{ content: 'x', languageId: 'ts' }], unknownThing: true }),
  kv('bubbleId:comp-a:b5', { _v: 3, type: 30, bubbleId: 'b5', text: 'a kind of bubble this importer does not know' }),
  // b6 is in the headers but has no key: counted as missing.
  kv('bubbleId:comp-a:orphan', { _v: 3, type: 1, bubbleId: 'orphan', text: 'in no conversation' }),
];

/** Composer B: an older version, its bubbles inline in `conversation`, no name. */
export const COMPOSER_B: Row[] = [
  kv('composerData:comp-b', {
    _v: 2,
    composerId: 'comp-b',
    createdAt: T0 + 86_400_000,
    conversation: [
      { type: 1, bubbleId: 'c1', text: 'Write a haiku about tests' },
      { type: 2, bubbleId: 'c2', text: 'Green bars in the night' },
    ],
  }),
];

export const GLOBAL_ROWS: Row[] = [
  ...COMPOSER_A,
  ...COMPOSER_B,
  kv('composerData:comp-empty', { _v: 10, composerId: 'comp-empty', createdAt: T0, fullConversationHeadersOnly: [] }),
  kv('checkpointId:comp-a:x', { files: [] }),
  item('workbench.view.extensions.state', { hidden: [] }),
];

export const AICHAT_KEY = 'workbench.panel.aichat.view.aichat.chatdata';

export const WORKSPACE_ROWS: Row[] = [
  item(AICHAT_KEY, {
    tabs: [
      {
        tabId: 'tab-1',
        chatTitle: 'Old panel chat',
        lastSendTime: Date.UTC(2024, 0, 1),
        bubbles: [
          { type: 'user', id: 'u1', text: 'Hello' },
          { type: 'ai', id: 'a1', rawText: 'Hi there', modelType: 'gpt-4' },
          { type: 'divider', id: 'd1' },
          { type: 'ai', text: '' },
        ],
      },
      { tabId: 'tab-2', bubbles: [] },
    ],
  }),
  item('composer.composerData', { allComposers: [{ composerId: 'comp-a', name: 'Fix the parser' }] }),
];

export const NEITHER_ROWS: Row[] = [item('workbench.view.extensions.state', { hidden: [] })];

/**
 * A `-wal` file that takes database `from` to `to` (SQLite's format, little-endian checksums):
 * one frame for each page that differs, the last one marked as the commit.
 */
export function walBetween(from: Uint8Array, to: Uint8Array, pageSize = 4096): Buffer {
  const header = Buffer.alloc(32);
  header.writeUInt32BE(0x377f0682, 0);
  header.writeUInt32BE(3007000, 4);
  header.writeUInt32BE(pageSize, 8);
  header.writeUInt32BE(0, 12);
  header.writeUInt32BE(0x1234_5678, 16);
  header.writeUInt32BE(0x9abc_def0, 20);
  let sum = checksum([0, 0], header.subarray(0, 24));
  header.writeUInt32BE(sum[0], 24);
  header.writeUInt32BE(sum[1], 28);
  const pages = to.byteLength / pageSize;
  const changed = Array.from({ length: pages }, (_, index) => index).filter((index) => !samePage(from, to, index, pageSize));
  const frames = changed.map((index, position) => {
    const frame = Buffer.alloc(24);
    frame.writeUInt32BE(index + 1, 0);
    frame.writeUInt32BE(position === changed.length - 1 ? pages : 0, 4);
    header.copy(frame, 8, 16, 24);
    const page = Buffer.from(to.subarray(index * pageSize, (index + 1) * pageSize));
    sum = checksum(checksum(sum, frame.subarray(0, 8)), page);
    frame.writeUInt32BE(sum[0], 16);
    frame.writeUInt32BE(sum[1], 20);
    return Buffer.concat([frame, page]);
  });
  return Buffer.concat([header, ...frames]);
}

function samePage(a: Uint8Array, b: Uint8Array, index: number, pageSize: number): boolean {
  return Buffer.from(a.subarray(index * pageSize, (index + 1) * pageSize)).equals(b.subarray(index * pageSize, (index + 1) * pageSize));
}

function checksum([s0, s1]: number[], bytes: Buffer): number[] {
  for (let at = 0; at < bytes.length; at += 8) {
    s0 = (s0 + bytes.readUInt32LE(at) + s1) >>> 0;
    s1 = (s1 + bytes.readUInt32LE(at + 4) + s0) >>> 0;
  }
  return [s0, s1];
}

/** Marks database bytes as WAL mode (file format versions 2), as SQLite leaves a WAL database. */
export function inWalMode(bytes: Uint8Array): Uint8Array {
  const copy = new Uint8Array(bytes);
  copy[18] = 2;
  copy[19] = 2;
  return copy;
}

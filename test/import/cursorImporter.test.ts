import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { isMultichatError } from '../../src/core/errors';
import { Session } from '../../src/core/model';
import { cursorImporter } from '../../src/interop/import/cursor/cursorImporter';
import { ParsedUnit } from '../../src/interop/import/importFormats';
import { makeTempDir } from '../helpers/tempDir';
import { COMPOSER_A, GLOBAL_ROWS, NEITHER_ROWS, WORKSPACE_ROWS, databaseBytes, inWalMode, kv, walBetween, writeDatabase } from './cursorFixtures';

const temp = makeTempDir('multichat-cursor-');
after(() => temp.cleanup());
const LIMITS = { maxDatabaseBytes: 64 * 1024 * 1024 };
const read = (path: string, limits = LIMITS): Promise<ParsedUnit> => cursorImporter.read({ format: 'cursor', path }, limits);

const base = { untitled: false, tags: [] as string[], pinned: false, source: 'cursor' };

const SESSION_A: Session = {
  ...base,
  id: 'cursor-comp-a',
  title: 'Fix the parser',
  createdAt: '2025-01-01T00:00:00.000Z',
  updatedAt: '2025-01-01T01:00:00.000Z',
  lastMessageAt: '2025-01-01T00:01:00.000Z',
  messages: [
    { id: 'b1', role: 'user', content: 'Why does parse() fail on empty input?', createdAt: '2025-01-01T00:00:05.000Z' },
    { id: 'b4', role: 'assistant', content: 'It reads `input[0]` before checking the length.', createdAt: '2025-01-01T00:01:00.000Z', model: 'claude-3.5-sonnet' },
  ],
};

const SESSION_B: Session = {
  ...base,
  id: 'cursor-comp-b',
  title: 'Write a haiku about tests',
  createdAt: '2025-01-02T00:00:00.000Z',
  updatedAt: '2025-01-02T00:00:00.000Z',
  lastMessageAt: '2025-01-02T00:00:00.000Z',
  messages: [
    { id: 'c1', role: 'user', content: 'Write a haiku about tests', createdAt: '2025-01-02T00:00:00.000Z' },
    { id: 'c2', role: 'assistant', content: 'Green bars in the night', createdAt: '2025-01-02T00:00:00.000Z' },
  ],
};

const GLOBAL_SKIPPED = { 'tool call bubble': 1, 'thinking-only bubble': 1, 'bubble type 30': 1, 'missing bubble': 1, 'composer without messages': 1 };

function snapshot(file: string): { bytes: Buffer; mtimeMs: number; beside: string[] } {
  return { bytes: readFileSync(file), mtimeMs: statSync(file).mtimeMs, beside: readdirSync(join(file, '..')).sort() };
}

test('a global database gives its composers, in key order, with what was left out counted', async () => {
  const file = join(temp.path, 'global', 'state.vscdb');
  await writeDatabase(file, GLOBAL_ROWS);
  const before = snapshot(file);
  const parsed = await read(file);
  assert.deepEqual(parsed.sessions, [SESSION_A, SESSION_B]);
  assert.deepEqual(parsed.skipped, GLOBAL_SKIPPED);
  assert.deepEqual(snapshot(file), before, 'the database, its time and its folder are as they were');
  assert.deepEqual(await read(file), parsed, 'the same file always gives the same sessions');
});

test('a workspace database gives the older chat panel tabs and points to the global one', async () => {
  const file = join(temp.path, 'workspace', 'state.vscdb');
  await writeDatabase(file, WORKSPACE_ROWS, { kvTable: false });
  const parsed = await read(file);
  assert.deepEqual(parsed.sessions, [
    {
      ...base,
      id: 'cursor-tab-1',
      title: 'Old panel chat',
      createdAt: '2024-01-01T00:00:00.000Z',
      updatedAt: '2024-01-01T00:00:00.000Z',
      lastMessageAt: '2024-01-01T00:00:00.000Z',
      messages: [
        { id: 'u1', role: 'user', content: 'Hello', createdAt: '2024-01-01T00:00:00.000Z' },
        { id: 'a1', role: 'assistant', content: 'Hi there', createdAt: '2024-01-01T00:00:00.000Z', model: 'gpt-4' },
      ],
    },
  ]);
  assert.deepEqual(parsed.skipped, {
    'chat bubble type divider': 1,
    'empty assistant bubble': 1,
    'chat tab without messages': 1,
    'composer whose chat is in globalStorage/state.vscdb': 1,
  });
});

test('a database with no Cursor chats imports nothing and says so', async () => {
  const file = join(temp.path, 'neither', 'state.vscdb');
  await writeDatabase(file, NEITHER_ROWS, { kvTable: false });
  assert.deepEqual(await read(file), { sessions: [], skipped: { 'state.vscdb without Cursor chats': 1 } });
});

test('ids that are no Multichat id map to one stable id, and values may be BLOBs', async () => {
  const file = join(temp.path, 'odd-ids', 'state.vscdb');
  const headers = [{ bubbleId: 'id with spaces', type: 1 }];
  await writeDatabase(file, [
    kv('composerData:a/b c', { composerId: 'a/b c', createdAt: 0, fullConversationHeadersOnly: headers }, true),
    kv('bubbleId:a/b c:id with spaces', { text: 'typed by header' }, true),
  ]);
  const [session] = (await read(file)).sessions;
  assert.match(session.id, /^cursor-[0-9a-f]{40}$/);
  assert.match(session.messages[0].id, /^m-[0-9a-f]{40}$/);
  assert.equal(session.messages[0].role, 'user');
  assert.deepEqual((await read(file)).sessions[0], session);
});

test('a database over the size limit is refused before it is read, with how to raise the limit', async () => {
  const file = join(temp.path, 'big', 'state.vscdb');
  await writeDatabase(file, GLOBAL_ROWS);
  const size = statSync(file).size;
  // Garbage after the limit check would be "not a readable SQLite database": the size comes first.
  writeFileSync(file, Buffer.alloc(size, 'x'));
  await assert.rejects(read(file, { maxDatabaseBytes: size - 1 }), (error: Error) => {
    assert.ok(isMultichatError(error, 'invalid-input'));
    assert.ok(error.message.startsWith(`${file}: `), error.message);
    assert.match(error.message, new RegExp(`${size} bytes .*more than the ${size - 1}-byte .*limit; raise it with --max-db-mb`));
    return true;
  });
});

test('a WAL-mode database is read with the committed changes of its -wal file', async () => {
  const folder = join(temp.path, 'wal');
  const older = await databaseBytes(COMPOSER_A);
  const newer = await databaseBytes(GLOBAL_ROWS);
  const file = join(folder, 'state.vscdb');
  await writeDatabase(file, []);
  writeFileSync(file, inWalMode(older));
  writeFileSync(`${file}-wal`, walBetween(inWalMode(older), inWalMode(newer)));
  const before = [snapshot(file), snapshot(`${file}-wal`)];
  const parsed = await read(file);
  assert.deepEqual(parsed.sessions, [SESSION_A, SESSION_B]);
  assert.deepEqual(parsed.skipped, GLOBAL_SKIPPED);
  assert.deepEqual([snapshot(file), snapshot(`${file}-wal`)], before, 'neither file changed');
});

test('a WAL file that does not fit is counted as not read, and the database read without it', async () => {
  const file = join(temp.path, 'bad-wal', 'state.vscdb');
  await writeDatabase(file, COMPOSER_A);
  writeFileSync(file, inWalMode(readFileSync(file)));
  writeFileSync(`${file}-wal`, Buffer.alloc(5000, 7));
  const parsed = await read(file);
  assert.deepEqual(parsed.sessions, [SESSION_A]);
  assert.equal(parsed.skipped['WAL file not read (changes Cursor has not yet written into state.vscdb)'], 1);
  // A WAL-mode database with no -wal file beside it has nothing more to read.
  writeFileSync(`${file}-wal`, '');
  assert.deepEqual((await read(file)).skipped, { 'tool call bubble': 1, 'thinking-only bubble': 1, 'bubble type 30': 1, 'missing bubble': 1 });
});

test('fields that only add to a message are dropped in another shape; the text is not', async () => {
  const file = join(temp.path, 'shapes', 'state.vscdb');
  const headers = [{ bubbleId: 'q', type: 1 }, { bubbleId: 'r', type: 2 }, { bubbleId: 't', type: 2 }];
  await writeDatabase(file, [
    kv('composerData:shapes', { name: 42, createdAt: { when: 'later' }, fullConversationHeadersOnly: headers }),
    kv('bubbleId:shapes:q', { type: 1, bubbleId: 7, text: 'Question', modelInfo: 'gpt-5' }),
    kv('bubbleId:shapes:r', { type: 2, text: 'Answer', createdAt: true }),
    kv('bubbleId:shapes:t', { type: 2, text: '', thinking: 'a string, not an object', toolFormerData: [] }),
  ]);
  const parsed = await read(file);
  assert.deepEqual(parsed.sessions[0].title, 'Question');
  assert.deepEqual(
    parsed.sessions[0].messages.map((message) => [message.id, message.role, message.content, message.createdAt]),
    [
      ['q', 'user', 'Question', '1970-01-01T00:00:00.000Z'],
      ['r', 'assistant', 'Answer', '1970-01-01T00:00:00.000Z'],
    ],
  );
  assert.deepEqual(parsed.skipped, { 'empty assistant bubble': 1 });
});

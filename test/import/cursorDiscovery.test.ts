import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { cursorImporter } from '../../src/interop/import/cursor/cursorImporter';
import { findUnits } from '../../src/interop/import/importers';
import { makeTempDir } from '../helpers/tempDir';
import { GLOBAL_ROWS, NEITHER_ROWS, WORKSPACE_ROWS, writeDatabase } from './cursorFixtures';

const temp = makeTempDir('multichat-cursor-find-');
after(() => temp.cleanup());
const user = join(temp.path, 'Cursor', 'User');
const global = join(user, 'globalStorage', 'state.vscdb');
const workspaces = ['0a1b', '9f8e'].map((hash) => join(user, 'workspaceStorage', hash, 'state.vscdb'));
// VS Code's own: a state.vscdb beside Copilot's chatSessions, under no Cursor folder.
const vscode = join(temp.path, 'Code', 'User', 'workspaceStorage', 'c0de');
// A copied Cursor database outside any Cursor folder, known by its cursorDiskKV table.
const copied = join(temp.path, 'backup', 'state.vscdb');

before(async () => {
  await writeDatabase(global, GLOBAL_ROWS);
  await writeDatabase(workspaces[0], WORKSPACE_ROWS, { kvTable: false });
  await writeDatabase(workspaces[1], NEITHER_ROWS, { kvTable: false });
  mkdirSync(join(user, 'workspaceStorage', 'no-db'), { recursive: true });
  await writeDatabase(join(vscode, 'state.vscdb'), NEITHER_ROWS, { kvTable: false });
  mkdirSync(join(vscode, 'chatSessions'));
  await writeDatabase(copied, GLOBAL_ROWS);
  writeFileSync(join(temp.path, 'backup', 'notes.vscdb'), 'not SQLite');
});

const found = async (path: string, claimOnly: boolean) => (await cursorImporter.discover(path, claimOnly)).map((unit) => unit.path);

test('a Cursor folder yields the global database and every workspace one, in a stable order', async () => {
  for (const claimOnly of [false, true]) {
    assert.deepEqual(await found(join(temp.path, 'Cursor'), claimOnly), [global, ...workspaces]);
    assert.deepEqual(await found(user, claimOnly), [global, ...workspaces]);
    assert.deepEqual(await found(join(user, 'workspaceStorage'), claimOnly), workspaces);
    assert.deepEqual(await found(join(user, 'globalStorage'), claimOnly), [global]);
    assert.deepEqual(await found(global, claimOnly), [global]);
  }
});

test("auto-detection leaves VS Code's state.vscdb beside chatSessions alone", async () => {
  assert.deepEqual(await found(vscode, true), []);
  assert.deepEqual(await found(join(temp.path, 'Code', 'User'), true), []);
  assert.deepEqual(await found(vscode, false), [join(vscode, 'state.vscdb')], 'named with --from cursor, it is read');
});

test('outside a Cursor folder a database is claimed by its cursorDiskKV table; a .vscdb file by its header', async () => {
  assert.deepEqual(await found(join(temp.path, 'backup'), true), [copied]);
  assert.deepEqual(await found(join(temp.path, 'backup', 'notes.vscdb'), true), []);
  assert.deepEqual(await found(join(temp.path, 'backup', 'notes.vscdb'), false), [join(temp.path, 'backup', 'notes.vscdb')]);
  assert.deepEqual(await found(join(temp.path, 'missing'), false), []);
});

test('findUnits with auto picks Cursor databases as format cursor', async () => {
  const units = await findUnits(user, 'auto');
  assert.deepEqual(
    units.map((unit) => [unit.format, unit.path]),
    [global, ...workspaces].map((path) => ['cursor', path]),
  );
});

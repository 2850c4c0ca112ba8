// Which store the CLI uses without --store: the one the working folder's .vscode/settings.json names (JSON with
// comments, as VS Code reads it), as the editor does; a settings file it cannot read is a clear usage error; --store
// and MULTICHAT_STORE still win; and a stray copy of the other backend beside the store in use is said on stderr.
import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { resolveStore } from '../src/cli/workspaceStore';
import { openStore } from '../src/stores/openStore';
import { moveStoreAside, strayStoreOf } from '../src/stores/storeCopies';
import { cli, cliOk } from './helpers/cli';
import { makeTempDir } from './helpers/tempDir';

const SQLITE_SETTINGS = `// Workspace settings, as VS Code writes and people edit them
{
  /* the store */
  "multichat.storage.backend": "sqlite", // switched in the editor
  "editor.tabSize": 2,
}
`;

describe('the CLI follows the workspace folder\'s storage settings', () => {
  let folder: string;
  let cleanup: () => void;

  beforeEach(() => {
    ({ path: folder, cleanup } = makeTempDir('multichat-resolve-'));
  });
  afterEach(() => cleanup());

  const writeSettings = (text: string) => {
    mkdirSync(join(folder, '.vscode'), { recursive: true });
    writeFileSync(join(folder, '.vscode', 'settings.json'), text);
  };

  it('uses json:.multichat in a folder without settings', () => {
    assert.deepEqual(resolveStore(undefined, {}, folder).spec, `json:${join(folder, '.multichat')}`);
  });

  it('reads the backend from settings with comments and trailing commas', () => {
    writeSettings(SQLITE_SETTINGS);
    assert.equal(resolveStore(undefined, {}, folder).spec, `sqlite:${join(folder, '.multichat', 'sessions.sqlite')}`);
  });

  it('reads locations relative to the folder, also nested as VS Code allows', () => {
    writeSettings('{ "multichat.storage": { "backend": "json", "jsonDirectory": "chats" } }');
    assert.equal(resolveStore(undefined, {}, folder).spec, `json:${join(folder, 'chats')}`);
    writeSettings('{ "multichat": { "storage": { "backend": "sqlite", "sqliteFile": "db/s.sqlite" } } }');
    assert.equal(resolveStore(undefined, {}, folder).spec, `sqlite:${join(folder, 'db', 's.sqlite')}`);
  });

  it('refuses settings it cannot read, saying which file, where and how to get past it', () => {
    writeSettings('{\n  "multichat.storage.backend": "sqlite"\n  "other": 1\n}');
    assert.throws(() => resolveStore(undefined, {}, folder), /cannot tell which store to use: .*settings\.json: CommaExpected at line 3, column 3 \(fix it, or pass --store\)/);
    writeSettings('{ "multichat.storage.backend": "postgres" }');
    assert.throws(() => resolveStore(undefined, {}, folder), /multichat\.storage\.backend must be "json" or "sqlite", not "postgres"/);
    writeSettings('{ "multichat.storage.sqliteFile": 3 }');
    assert.throws(() => resolveStore(undefined, {}, folder), /multichat\.storage\.sqliteFile must be a string, not 3/);
    writeSettings('[]');
    assert.throws(() => resolveStore(undefined, {}, folder), /it is not a JSON object/);
  });

  it('lets --store and MULTICHAT_STORE win over the settings, even broken ones', () => {
    writeSettings('{ broken');
    assert.equal(resolveStore('json:/elsewhere', { MULTICHAT_STORE: 'sqlite:/env.sqlite' }, folder).spec, 'json:/elsewhere');
    assert.equal(resolveStore(undefined, { MULTICHAT_STORE: 'sqlite:/env.sqlite' }, folder).spec, 'sqlite:/env.sqlite');
  });

  it('lists the store the settings name, says on stderr that an older copy lies beside it, and is quiet once it is moved aside', async () => {
    const json = await openStore({ kind: 'json', directory: join(folder, '.multichat') });
    await json.create({ title: 'Old JSON copy' });
    await json.close();
    const sqlite = await openStore({ kind: 'sqlite', file: join(folder, '.multichat', 'sessions.sqlite') });
    await sqlite.create({ title: 'In SQLite now' });
    await sqlite.close();
    writeSettings(SQLITE_SETTINGS);

    const listed = cli(['list'], { cwd: folder });
    assert.equal(listed.code, 0, listed.stderr);
    assert.match(listed.stdout, /In SQLite now/);
    assert.doesNotMatch(listed.stdout, /Old JSON copy/);
    assert.match(listed.stderr, /warning: this folder has two session stores: SQLite at \.multichat\/sessions\.sqlite \(in use, as \.vscode\/settings\.json says\) and an older JSON copy at \.multichat, which is not used/);

    const stray = strayStoreOf({ backend: 'sqlite' }, folder)!;
    const aside = moveStoreAside(stray, 'sqlite', new Date('2026-12-01T10:00:00.000Z'));
    assert.equal(aside, join(folder, '.multichat.replaced-by-sqlite-2026-12-01T10-00-00-000Z'));
    assert.ok(readdirSync(aside).some((name) => name.endsWith('.jsonl')), 'the old sessions are kept');
    assert.ok(existsSync(join(folder, '.multichat', 'sessions.sqlite')), 'the store in use stays');
    const after = cli(['list'], { cwd: folder });
    assert.equal(after.stderr, '');
    assert.match(cliOk(['list'], { store: `json:${aside}` }), /Old JSON copy/);
  });

  it('says which settings file is broken and exits 2 when run in the folder', () => {
    writeSettings('{ "multichat.storage.backend": sqlite }');
    const result = cli(['list'], { cwd: folder });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /^multichat: cannot tell which store to use: .*\.vscode\/settings\.json: InvalidSymbol at line 1, column 32/);
  });
});

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, lstatSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { openStore } from '../src/stores/openStore';
import { BACKENDS, CLI_PATH, CliResult, cli, cliJson, cliOk, storeSpecFor } from './helpers/cli';
import { makeTempDir } from './helpers/tempDir';
import { Tmpfs, mountTmpfs } from './helpers/tmpfs';

/**
 * A store on a read-only file system (a read-only mount, a backup copy) or in a folder the user
 * may not write: everything that reads works, every write is refused with "read-only" and exit
 * 5, and nothing on disk is created, changed or quarantined.
 */

/** Every file and folder under `root` with what would show any change to it. */
function snapshotTree(root: string): Record<string, string> {
  const tree: Record<string, string> = {};
  for (const name of readdirSync(root, { recursive: true, encoding: 'utf8' })) {
    const stats = lstatSync(join(root, name));
    tree[name] = `${stats.ino}:${stats.size}:${stats.mtimeMs}`;
  }
  return tree;
}

function seedStore(spec: string): { first: string; second: string } {
  const first = cliOk(['new', '--title', 'Flaky CI', '--tag', 'ci'], { store: spec }).trim();
  cliOk(['append', first, '--role', 'user', '--content', 'Why does the build fail on Tuesdays?'], { store: spec });
  const second = cliOk(['new', '--title', 'Parser speed'], { store: spec }).trim();
  cliOk(['append', second, '--role', 'assistant', '--content', 'Use a lookup table.'], { store: spec });
  return { first, second };
}

function writeCommands(ids: { first: string; second: string }, bundle: string): string[][] {
  return [
    ['new', '--title', 'refused'],
    ['append', ids.first, '--role', 'user', '--content', 'refused'],
    ['rename', ids.first, 'refused'],
    ['tag', ids.first, '--add', 'refused'],
    ['pin', ids.first],
    ['unpin', ids.first],
    ['delete', ids.second],
    ['import', bundle],
  ];
}

function assertRefused(result: CliResult, what: string): void {
  assert.equal(result.code, 5, `${what} should exit 5 (stderr: ${result.stderr})`);
  assert.match(result.stderr, /^multichat: could not .*: the store is read-only: .+\n$/, what);
}

for (const backend of BACKENDS) {
  describe(`a ${backend} store on a read-only file system`, () => {
    let disk: Tmpfs;
    let spec: string;
    let ids: { first: string; second: string };
    let elsewhere: ReturnType<typeof makeTempDir>;
    before(() => {
      disk = mountTmpfs({ size: '16m' });
      spec = storeSpecFor(backend, disk.path);
      ids = seedStore(spec);
      elsewhere = makeTempDir();
    });
    after(() => {
      disk.unmount();
      elsewhere.cleanup();
    });
    beforeEach(() => disk.remount('ro'));
    afterEach(() => disk.remount('rw'));

    it('reads: list, show, search, export and verify', () => {
      const before = snapshotTree(disk.path);
      const listed = cliJson<{ id: string; title: string }[]>(['list', '--json'], { store: spec });
      assert.deepEqual(listed.map((s) => s.title).sort(), ['Flaky CI', 'Parser speed']);
      assert.match(cliOk(['show', ids.first, '--format', 'markdown'], { store: spec }), /Tuesdays/);
      assert.match(cliOk(['search', 'lookup'], { store: spec }), new RegExp(ids.second));
      const out = join(elsewhere.path, `${backend}.json`);
      cliOk(['export', '--out', out], { store: spec });
      assert.equal(cli(['verify'], { store: spec }).code, 0);
      assert.equal(cli(['verify', '--repair'], { store: spec }).code, 0, 'nothing to repair, so nothing refused');
      assert.deepEqual(snapshotTree(disk.path), before, 'reading changed nothing on disk');
    });

    it('refuses every write with "read-only" and exit 5, changing nothing', () => {
      const bundle = join(elsewhere.path, 'bundle.json');
      const other = `json:${join(elsewhere.path, 'other')}`;
      cliOk(['new', '--title', 'from another store'], { store: other });
      cliOk(['export', '--out', bundle], { store: other });
      const before = snapshotTree(disk.path);
      for (const args of writeCommands(ids, bundle)) {
        assertRefused(cli(args, { store: spec }), args[0]);
      }
      const jsonl = cli(['append', ids.first, '--jsonl'], { store: spec, input: '{"role":"user","content":"refused"}\n' });
      assertRefused(jsonl, 'append --jsonl');
      assert.equal(jsonl.stdout, '', 'nothing acknowledged');
      assert.deepEqual(snapshotTree(disk.path), before, 'refusals changed nothing on disk');
    });

    it('says it is read-only, and writes again in the same process once the mount is writable', async () => {
      const store = await openStore(spec);
      try {
        const access = await store.access();
        assert.equal(access.writable, false);
        assert.match(access.writable ? '' : access.reason, /the file system is mounted read-only \(EROFS\)/);
        await assert.rejects(store.appendMessages(ids.first, [{ role: 'user', content: 'refused' }]), /the store is read-only/);
        disk.remount('rw');
        assert.deepEqual(await store.access(), { writable: true });
        const [message] = await store.appendMessages(ids.first, [{ role: 'user', content: 'accepted' }]);
        assert.equal((await store.get(ids.first))?.messages.at(-1)?.id, message.id);
        assert.deepEqual((await store.verify()).problems, []);
      } finally {
        await store.close();
      }
    });
  });
}

describe('a store not created yet on a read-only file system', () => {
  let disk: Tmpfs;
  before(() => {
    disk = mountTmpfs({ size: '1m' });
    disk.remount('ro');
  });
  after(() => disk.unmount());

  for (const backend of BACKENDS) {
    it(`${backend}: lists as empty and refuses the first session as read-only (not "ENOENT … mkdir")`, () => {
      const spec = storeSpecFor(backend, join(disk.path, 'workspace', '.multichat'));
      assert.equal(cliOk(['list'], { store: spec }), '');
      const refused = cli(['new', '--title', 'first'], { store: spec });
      assertRefused(refused, 'new');
      assert.match(refused.stderr, /the file system is mounted read-only \(EROFS\)/);
      assert.doesNotMatch(refused.stderr, /ENOENT/);
      assert.deepEqual(readdirSync(disk.path), []);
    });
  }
});

describe('damaged data on a read-only file system', () => {
  let disk: Tmpfs;
  before(() => {
    disk = mountTmpfs({ size: '16m' });
  });
  after(() => disk.unmount());

  it('SQLite: reads around a corrupt database from its backup, quarantines nothing, and refuses repair', () => {
    const spec = storeSpecFor('sqlite', disk.path);
    const { first } = seedStore(spec);
    const file = join(disk.path, 'store.sqlite');
    writeFileSync(file, 'this is not a database');
    disk.remount('ro');
    try {
      const before = snapshotTree(disk.path);
      const shown = cli(['show', first], { store: spec });
      assert.equal(shown.code, 0, shown.stderr);
      assert.match(shown.stdout, /Tuesdays/);
      assert.match(shown.stderr, /store\.sqlite is corrupt \(not an SQLite database\); the store is read-only, so it stays where it is/);
      assert.equal(cli(['verify'], { store: spec }).code, 1);
      const repair = cli(['verify', '--repair'], { store: spec });
      assert.equal(repair.code, 5);
      assert.match(repair.stderr, /could not repair .*store\.sqlite: the store is read-only: the file system is mounted read-only \(EROFS\)/);
      assert.deepEqual(snapshotTree(disk.path), before, 'nothing quarantined or rewritten');
    } finally {
      disk.remount('rw');
    }
  });

  it('JSON: warns about a damaged line, verify reports it, and repair is refused', () => {
    const spec = `json:${join(disk.path, 'json-store')}`;
    const { first } = seedStore(spec);
    writeFileSync(join(disk.path, 'json-store', `${first}.jsonl`), 'GARBAGE\n', { flag: 'a' });
    disk.remount('ro');
    try {
      const before = snapshotTree(disk.path);
      const shown = cli(['show', first], { store: spec });
      assert.equal(shown.code, 0);
      assert.match(shown.stderr, /^multichat: warning: .*\.jsonl: line 3: not valid JSON \(run "multichat verify --repair" to quarantine it\)\n$/);
      assert.equal(cli(['verify'], { store: spec }).code, 1);
      const repair = cli(['verify', '--repair'], { store: spec });
      assert.equal(repair.code, 5);
      assert.match(repair.stderr, /the store is read-only/);
      assert.deepEqual(snapshotTree(disk.path), before);
    } finally {
      disk.remount('rw');
    }
  });
});

describe('a store in a folder the user may not write', () => {
  let place: ReturnType<typeof makeTempDir>;
  let cliCopy: string;
  before(() => {
    // Run as "nobody" from a copy of the built CLI every user can read (the checkout may not be).
    place = makeTempDir();
    chmodSync(place.path, 0o755);
    cliCopy = join(place.path, 'dist');
    cpSync(join(CLI_PATH, '..'), cliCopy, { recursive: true });
  });
  after(() => place.cleanup());

  const asNobody = (spec: string, args: string[]): CliResult => {
    const result = spawnSync(process.execPath, [join(cliCopy, 'cli.js'), '--store', spec, ...args], {
      uid: 65534,
      gid: 65534,
      cwd: place.path,
      encoding: 'utf8',
      env: { PATH: process.env.PATH, HOME: place.path },
    });
    return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
  };

  for (const backend of BACKENDS) {
    it(`${backend}: reads, and refuses writes with "read-only: permission denied (EACCES)"`, () => {
      const root = join(place.path, backend);
      mkdirSync(root, { mode: 0o755 });
      const spec = storeSpecFor(backend, root);
      const { first } = seedStore(spec);
      chmodSync(root, 0o755);
      const before = snapshotTree(root);
      const listed = asNobody(spec, ['list']);
      assert.equal(listed.code, 0, listed.stderr);
      assert.match(listed.stdout, /Flaky CI/);
      const refused = asNobody(spec, ['append', first, '--role', 'user', '--content', 'refused']);
      assertRefused(refused, 'append');
      assert.match(refused.stderr, /permission denied \(EACCES\)/);
      assert.deepEqual(snapshotTree(root), before);
    });
  }
});

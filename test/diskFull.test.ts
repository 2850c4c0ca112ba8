import assert from 'node:assert/strict';
import { once } from 'node:events';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { SessionStore } from '../src/core/store';
import { openStore } from '../src/stores/openStore';
import { BACKENDS, cli, cliJson, cliOk, spawnCli, storeSpecFor } from './helpers/cli';
import { makeTempDir } from './helpers/tempDir';
import { Tmpfs, mountTmpfs } from './helpers/tmpfs';

/**
 * A disk that runs full while messages stream in, on a real tmpfs: every message acknowledged
 * is kept, none that was refused appears, the refusal names the cause and the file, the store
 * verifies clean and nothing temporary is left behind, and writing works again as soon as there
 * is space — in the same process, with no restart.
 */
const BIG = 'y'.repeat(40_000);

function messageLines(count: number, tag: string): string {
  return Array.from({ length: count }, (_, i) => JSON.stringify({ role: 'user', content: `${tag} ${i} ${BIG}` })).join('\n') + '\n';
}

function storedIds(spec: string, sessionId: string): string[] {
  return cliJson<{ messages: { id: string }[] }>(['show', sessionId], { store: spec }).messages.map((message) => message.id);
}

function leftovers(directory: string): string[] {
  return readdirSync(directory, { recursive: true, encoding: 'utf8' }).filter((name) => name.endsWith('.tmp'));
}

/** The store's own file a refusal must name: the session file or the journal, never a temp file. */
function storeFilePattern(backend: (typeof BACKENDS)[number], directory: string): RegExp {
  const escaped = directory.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return backend === 'json' ? new RegExp(`${escaped}/store/[0-9A-Z]+\\.jsonl: the disk is full \\(ENOSPC\\)$`, 'm') : new RegExp(`${escaped}/store\\.sqlite\\.journal: the disk is full \\(ENOSPC\\)$`, 'm');
}

async function appendUntilRefused(store: SessionStore, sessionId: string): Promise<{ acked: string[]; refusal: Error }> {
  const acked: string[] = [];
  for (let i = 0; i < 10_000; i++) {
    try {
      const [message] = await store.appendMessages(sessionId, [{ role: 'user', content: `in-process ${i} ${BIG}` }]);
      acked.push(message.id);
    } catch (error) {
      return { acked, refusal: error as Error };
    }
  }
  throw new Error('the disk never filled up');
}

for (const backend of BACKENDS) {
  describe(`a disk that fills up under ${backend}`, () => {
    let disk: Tmpfs;
    let place: ReturnType<typeof makeTempDir>;
    let spec: string;
    before(() => {
      disk = mountTmpfs({ size: '3m' });
    });
    after(() => disk.unmount());
    beforeEach(() => {
      place = makeTempDir('store-', disk.path);
      spec = storeSpecFor(backend, place.path);
    });
    afterEach(() => {
      place.cleanup();
      disk.remount('rw,size=3m');
    });

    it('keeps every acknowledged message of a stream that fills the disk, and refuses the rest naming the cause and the file', () => {
      const sessionId = cliOk(['new', '--title', 'filling up'], { store: spec }).trim();
      const result = cli(['append', sessionId, '--jsonl'], { store: spec, input: messageLines(150, 'stream') });
      assert.equal(result.code, 5, `exit code (stderr: ${result.stderr})`);
      assert.match(result.stderr, storeFilePattern(backend, place.path));
      assert.equal(result.stderr.trim().split('\n').length, 1, 'one line on stderr');
      const acked = result.stdout.trim().split('\n');
      assert.ok(acked.length > 5, `some messages fitted (${acked.length})`);
      assert.deepEqual(storedIds(spec, sessionId), acked, 'exactly the acknowledged messages, in order');
      assert.equal(cli(['verify'], { store: spec }).code, 0);
      assert.deepEqual(leftovers(place.path), []);
    });

    it('writes again as soon as space returns, in the same open store, and keeps it healthy', async () => {
      const sessionId = cliOk(['new', '--title', 'same process'], { store: spec }).trim();
      const store = await openStore(spec);
      let expected: string[];
      try {
        const { acked, refusal } = await appendUntilRefused(store, sessionId);
        assert.match(refusal.message, /the disk is full \(ENOSPC\)/);
        assert.deepEqual((await store.get(sessionId))?.messages.map((m) => m.id), acked, 'the refused message is not shown');
        disk.remount('rw,size=8m');
        const [later] = await store.appendMessages(sessionId, [{ role: 'user', content: 'after space returned' }]);
        expected = [...acked, later.id];
        assert.deepEqual((await store.get(sessionId))?.messages.map((m) => m.id), expected);
        assert.deepEqual((await store.verify()).problems, []);
      } finally {
        await store.close();
      }
      assert.deepEqual(storedIds(spec, sessionId), expected, 'a fresh process reads the same');
      assert.equal(cli(['verify'], { store: spec }).code, 0);
    });

    it('keeps every acknowledged message when three processes append to a disk that fills up', async () => {
      const sessionId = cliOk(['new', '--title', 'three writers'], { store: spec }).trim();
      const writers = ['a', 'b', 'c'].map((tag) => {
        const child = spawnCli(['append', sessionId, '--jsonl'], spec);
        const out: string[] = [];
        child.stdout!.setEncoding('utf8').on('data', (chunk: string) => out.push(chunk));
        child.stdin!.on('error', () => undefined);
        child.stdin!.end(messageLines(60, tag));
        return { child, out };
      });
      const codes = await Promise.all(writers.map(async ({ child }) => (child.exitCode ?? (await once(child, 'exit'))[0]) as number));
      assert.ok(codes.includes(5), `at least one writer met the full disk (exit codes ${codes.join(', ')})`);
      const acked = writers.flatMap(({ out }) => out.join('').split('\n').filter((line) => line.length > 0));
      const stored = storedIds(spec, sessionId);
      assert.deepEqual([...stored].sort(), [...acked].sort(), 'every acknowledged message once, and nothing else');
      assert.equal(cli(['verify'], { store: spec }).code, 0);
    });

    it('refuses a new session on a full disk without leaving a partial file, and creates it once there is room', () => {
      const first = cliOk(['new', '--title', 'first'], { store: spec }).trim();
      disk.fill();
      // The last page of a file may still have room: a refused big append uses it up.
      assert.equal(cli(['append', first, '--role', 'user', '--content', BIG], { store: spec }).code, 5);
      const refused = cli(['new', '--title', 'no room'], { store: spec });
      assert.equal(refused.code, 5, refused.stderr);
      assert.match(refused.stderr, /the disk is full \(ENOSPC\)/);
      assert.doesNotMatch(refused.stderr, /\.tmp/, 'names the file the user knows, not a temp file');
      assert.deepEqual(leftovers(place.path), []);
      assert.deepEqual(cliJson<{ title: string }[]>(['list', '--json'], { store: spec }).map((s) => s.title), ['first']);
      disk.drain();
      cliOk(['new', '--title', 'room again'], { store: spec });
      assert.equal(cli(['verify'], { store: spec }).code, 0);
    });
  });
}

describe('a disk out of inodes (room for bytes, none for new files)', () => {
  let disk: Tmpfs;
  before(() => {
    disk = mountTmpfs({ size: '16m', inodes: 8 });
  });
  after(() => disk.unmount());

  it('refuses new sessions plainly but keeps appending to those it has', () => {
    const spec = `json:${join(disk.path, 'store')}`;
    const ids: string[] = [];
    let refused = cli(['new', '--title', 'session 0'], { store: spec });
    for (let i = 1; refused.code === 0 && i < 20; i++) {
      ids.push(refused.stdout.trim());
      refused = cli(['new', '--title', `session ${i}`], { store: spec });
    }
    assert.equal(refused.code, 5, refused.stderr);
    assert.match(refused.stderr, /the disk is full \(ENOSPC\)/);
    assert.ok(ids.length > 0);
    const appended = cliOk(['append', ids[0], '--role', 'user', '--content', 'still room for bytes'], { store: spec }).trim();
    assert.ok(storedIds(spec, ids[0]).includes(appended));
    assert.equal(cli(['verify'], { store: spec }).code, 0);
    assert.deepEqual(leftovers(disk.path), []);
  });
});

describe('exporting to a full disk', () => {
  let disk: Tmpfs;
  before(() => {
    disk = mountTmpfs({ size: '1m' });
  });
  after(() => disk.unmount());

  it('keeps the earlier export whole and says why the new one could not be written', () => {
    const source = makeTempDir();
    try {
      const spec = `json:${join(source.path, 'store')}`;
      const id = cliOk(['new', '--title', 'to export'], { store: spec }).trim();
      const out = join(disk.path, 'backup.json');
      cliOk(['export', '--out', out], { store: spec });
      const earlier = readFileSync(out, 'utf8');
      cliOk(['append', id, '--jsonl'], { store: spec, input: messageLines(5, 'big') });
      disk.fill(16 * 1024);
      const refused = cli(['export', '--out', out], { store: spec });
      assert.equal(refused.code, 5);
      assert.equal(refused.stderr, `multichat: could not write ${out}: the disk is full (ENOSPC)\n`);
      assert.equal(readFileSync(out, 'utf8'), earlier);
      assert.deepEqual(leftovers(disk.path), []);
    } finally {
      source.cleanup();
    }
  });
});

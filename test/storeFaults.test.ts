import assert from 'node:assert/strict';
import { appendFileSync, existsSync, readFileSync, readdirSync, renameSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { SessionStore, StoreChange, StoreWarning } from '../src/core/store';
import { openStore } from '../src/stores/openStore';
import { aSession, someMessages } from './helpers/builders';
import { BACKENDS, cliJson } from './helpers/cli';
import { OpenedStores } from './helpers/stores';
import { makeTempDir, waitFor } from './helpers/tempDir';

/**
 * Faults that come from outside while a store is open: its folder deleted, a session file
 * replaced, garbage written into its files. The store follows what is on disk, recreates what
 * was deleted on the next write, and says once what it could not read.
 */
interface Watched {
  store: SessionStore;
  changes: StoreChange[];
  warnings: StoreWarning[];
}

for (const backend of BACKENDS) {
  describe(`outside faults on an open ${backend} store`, () => {
    let temp: ReturnType<typeof makeTempDir>;
    let spec: string;
    const opened = new OpenedStores();
    beforeEach(() => {
      temp = makeTempDir();
      const folder = join(temp.path, '.multichat');
      spec = backend === 'json' ? `json:${folder}` : `sqlite:${join(folder, 'store.sqlite')}`;
    });
    afterEach(async () => {
      await opened.closeAll();
      temp.cleanup();
    });

    async function openWatched(): Promise<Watched> {
      const store = await opened.track(openStore(spec));
      const watched: Watched = { store, changes: [], warnings: [] };
      store.onDidChange((change) => watched.changes.push(change));
      store.onDidWarn((warning) => watched.warnings.push(warning));
      return watched;
    }

    it('empties within a second when its folder is deleted, and the next write recreates it', async () => {
      const { store, changes, warnings } = await openWatched();
      await store.create(aSession({ title: 'one', messages: someMessages(2) }));
      await store.create(aSession({ title: 'two' }));
      const folder = join(temp.path, '.multichat');
      rmSync(folder, { recursive: true, force: true });
      const started = Date.now();
      changes.length = 0;
      await waitFor(async () => (await store.list()).length === 0 && changes.length > 0, 1_000);
      assert.ok(Date.now() - started <= 1_000);
      const created = await store.create(aSession({ title: 'after the deletion' }));
      assert.ok(existsSync(folder), 'recreated by the write');
      assert.deepEqual((await store.list()).map((s) => s.id), [created.id]);
      assert.deepEqual((await store.verify()).problems, []);
      const fresh = cliJson<{ id: string }[]>(['list', '--json'], { store: spec });
      assert.deepEqual(fresh.map((s) => s.id), [created.id], 'another process reads the recreated store');
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      assert.deepEqual(warnings, [], 'no warnings, no error loop');
    });

    it('says once, naming where, what it could not read in a file another process damaged, and again after a repair', async () => {
      const { store, warnings } = await openWatched();
      const { id } = await store.create(aSession({ messages: someMessages(1) }));
      const damaged = backend === 'json' ? join(temp.path, '.multichat', `${id}.jsonl`) : join(temp.path, '.multichat', 'store.sqlite.journal');
      appendFileSync(damaged, 'GARBAGE WRITTEN BY SOMEONE ELSE\n');
      await waitFor(() => warnings.length > 0, 3_000);
      await store.appendMessages(id, someMessages(1, 'later'));
      await store.get(id);
      assert.equal(warnings.length, 1, JSON.stringify(warnings));
      assert.equal(warnings[0].kind, 'corrupt');
      assert.equal(warnings[0].where, damaged);
      assert.match(warnings[0].what, backend === 'json' ? /^line 3: not valid JSON$/ : /^an unreadable line at byte \d+ was skipped$/);
      if (backend === 'json') {
        assert.equal(warnings[0].sessionId, id);
      }
      assert.equal((await store.get(id))?.messages.length, 2, 'the records around it are all there');
      await store.verify({ repair: true });
      appendFileSync(damaged, 'GARBAGE AGAIN\n');
      await waitFor(() => warnings.length === 2, 3_000); // news after a repair, even in the same words
    });
  });
}

describe('a JSON session file replaced by another process', () => {
  it('is read afresh (the inode changed), never mixed with what was read before', async () => {
    const temp = makeTempDir();
    const store = await openStore(`json:${temp.path}`);
    try {
      const { id } = await store.create(aSession({ messages: someMessages(3, 'original') }));
      assert.equal((await store.get(id))?.messages.length, 3);
      const path = join(temp.path, `${id}.jsonl`);
      const [header, ...rest] = readFileSync(path, 'utf8').trimEnd().split('\n');
      // Longer than the original, so only the inode tells the change apart from an append.
      const replaced = rest[0].replace('original number 0', `REPLACED number 0 ${'and more '.repeat(40)}`.trim());
      writeFileSync(`${path}.other`, [header, replaced, rest[2]].join('\n') + '\n');
      renameSync(`${path}.other`, path);
      const after = await store.get(id);
      const contents = (messages: { content: string }[] | undefined): string[] | undefined => messages?.map((m) => m.content.slice(0, 17));
      assert.deepEqual(contents(after?.messages), ['REPLACED number 0', 'original number 2']);
      await store.appendMessages(id, someMessages(1, 'appended'));
      assert.deepEqual(contents((await store.get(id))?.messages), ['REPLACED number 0', 'original number 2', 'appended number 0']);
    } finally {
      await store.close();
      temp.cleanup();
    }
  });
});

describe('temp files a killed write left behind', () => {
  it('are removed by repair once they are old enough to be nobody\'s write in flight', async () => {
    const temp = makeTempDir();
    const store = await openStore(`json:${temp.path}`);
    try {
      const { id } = await store.create(aSession());
      const stale = [`.index.json.0123456789ab.atomic.tmp`, `${id}.jsonl.0123456789ab.tmp`];
      const fresh = `.index.json.ba9876543210.atomic.tmp`;
      for (const name of [...stale, fresh]) {
        writeFileSync(join(temp.path, name), 'half written');
      }
      const twoMinutesAgo = new Date(Date.now() - 120_000);
      stale.forEach((name) => utimesSync(join(temp.path, name), twoMinutesAgo, twoMinutesAgo));
      assert.deepEqual((await store.verify()).problems, [], 'they are not problems of the data');
      const { repairs } = await store.verify({ repair: true });
      assert.deepEqual(repairs, ['removed 2 temp file(s) left by interrupted writes (they held nothing saved)']);
      assert.deepEqual(readdirSync(temp.path).filter((name) => name.endsWith('.tmp')), [fresh]);
    } finally {
      await store.close();
      temp.cleanup();
    }
  });
});

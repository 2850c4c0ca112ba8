import assert from 'node:assert/strict';
import { once } from 'node:events';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { SearchHit, SessionStore } from '../src/core/store';
import { WORD_INDEX_FILE } from '../src/stores/json/files/sessionFileNames';
import { openJsonStore } from '../src/stores/json/jsonStore';
import { loadWordIndex } from '../src/stores/shared/search/wordIndexLoad';
import { cliJson, cliOk, spawnCli } from './helpers/cli';
import { makeTempDir, waitFor } from './helpers/tempDir';

// The JSON store's word index is a cache beside the sessions: deleting or damaging it loses
// nothing (the next search builds it again), other processes' writes are found, and a process
// killed while it updates or saves the index leaves the old file or the new one, never wrong hits.

const QUERIES = ['alpha', 'beta gam', '"gamma delta"', 'rare42', 'delta role:assistant'];

async function fill(store: SessionStore, sessions: number): Promise<void> {
  for (let s = 0; s < sessions; s++) {
    await store.create({
      title: `Session ${s}`,
      messages: Array.from({ length: 8 }, (_, m) => ({
        role: m % 2 === 0 ? ('user' as const) : ('assistant' as const),
        content: `alpha ${m % 3 === 0 ? 'beta gamma delta' : 'gamma beta'} ${s % 50 === 42 ? 'rare42' : ''} ${'filler text '.repeat(40)}`,
      })),
    });
  }
}

async function answers(store: SessionStore): Promise<SearchHit[][]> {
  return Promise.all(QUERIES.map((query) => store.search(query, { limit: 20 })));
}

describe('JSON store search index', () => {
  const dir = makeTempDir();
  const file = join(dir.path, WORD_INDEX_FILE);
  let expected: SearchHit[][];

  before(async () => {
    const store = await openJsonStore(dir.path, { watch: false });
    await fill(store, 300);
    expected = await answers(store);
    await store.close();
  });
  after(() => dir.cleanup());

  it('saves the index it built, and answers the same from it in the next process', async () => {
    assert.ok(existsSync(file), 'saved after the build');
    const store = await openJsonStore(dir.path, { watch: false });
    assert.deepEqual(await answers(store), expected);
    await store.close();
  });

  it('builds it ahead of the first search when asked, reporting its progress to the end', async () => {
    rmSync(file);
    const store = await openJsonStore(dir.path, { watch: false });
    const progress: { done: number; total: number }[] = [];
    store.onDidIndex?.((step) => progress.push(step));
    await store.prepareSearch?.();
    await waitFor(() => existsSync(file)); // saved after the build, in the background
    assert.deepEqual(progress[progress.length - 1], { done: 300, total: 300 });
    assert.ok(progress.every((step, at) => at === 0 || step.done >= progress[at - 1].done), 'progress only goes forward');
    assert.deepEqual(await answers(store), expected);
    await store.close();
  });

  it('builds it again when a word list turns out damaged in the middle of a search', async () => {
    const store = await openJsonStore(dir.path, { watch: false });
    await store.search('alpha');
    await store.close();
    const intact = loadWordIndex(file, `json:${dir.path}`);
    assert.ok(intact);
    const listBytes = [...intact.index.terms.values()].reduce((sum, list) => sum + list.length, 0);
    intact.close();
    const bytes = readFileSync(file);
    for (let at = bytes.length - listBytes; at < bytes.length; at++) {
      bytes[at] ^= 0x40; // every list damaged, the head intact: only reading a list finds out
    }
    writeFileSync(file, bytes);
    const damaged = await openJsonStore(dir.path, { watch: false });
    assert.deepEqual(await answers(damaged), expected);
    await damaged.close();
    const again = loadWordIndex(file, `json:${dir.path}`);
    assert.ok(again, 'saved again');
    again.index.terms.forEach((list) => list.bytesNow());
    again.close();
  });

  it('builds it again when it is deleted or damaged', async () => {
    for (const damage of [() => rmSync(file), () => writeFileSync(file, 'not an index'), () => writeFileSync(file, readFileSync(file).subarray(0, 5000))]) {
      if (!existsSync(file)) {
        const store = await openJsonStore(dir.path, { watch: false });
        await store.search('alpha');
        await store.close();
      }
      damage();
      const store = await openJsonStore(dir.path, { watch: false });
      assert.deepEqual(await answers(store), expected);
      await store.close();
      assert.ok(readFileSync(file).subarray(0, 8).toString() === 'MCWORDS1', 'rebuilt and saved');
    }
  });

  it('searches right when the index cannot be saved, and says so once as a background failure', async () => {
    rmSync(file, { force: true });
    mkdirSync(file); // what stands there cannot be replaced by a file: every save fails
    try {
      const store = await openJsonStore(dir.path, { watch: false });
      const warnings: string[] = [];
      store.onDidWarn((warning) => warnings.push(`${warning.kind}: ${warning.what}`));
      assert.deepEqual(await answers(store), expected);
      await store.close();
      assert.ok(warnings.some((line) => /^failure: could not save the search index/.test(line)), warnings.join('\n'));
    } finally {
      rmSync(file, { recursive: true, force: true });
    }
    const again = await openJsonStore(dir.path, { watch: false });
    assert.deepEqual(await answers(again), expected);
    await again.close();
    assert.ok(existsSync(file), 'saved once it can be');
  });

  it('rebuilds it on verify --repair, saying so when its file could not be read', async () => {
    const store = await openJsonStore(dir.path, { watch: false });
    assert.deepEqual((await store.verify({ repair: true })).repairs, []);
    writeFileSync(file, readFileSync(file).subarray(0, 1000));
    const report = await store.verify({ repair: true });
    assert.deepEqual(report.repairs, ['rebuilt the search index from 300 sessions: its file could not be read']);
    const saved = loadWordIndex(file, `json:${dir.path}`);
    assert.ok(saved, 'saved whole');
    saved.close();
    assert.deepEqual(await answers(store), expected);
    await store.close();
  });

  it("finds another process's appends at its next search, and the other way round", async () => {
    const store = await openJsonStore(dir.path, { watchDebounceMs: 10 });
    try {
      assert.deepEqual(await store.search('fromthecli'), []);
      const [target] = await store.list({ limit: 1 });
      let seen = false;
      store.onDidChange((change) => (seen ||= change.external));
      cliOk(['append', target.id, '--role', 'user', '--content', 'written fromthecli now'], { store: `json:${dir.path}` });
      await waitFor(() => seen, 5_000); // the directory watcher's news
      assert.deepEqual((await store.search('fromthecli')).map((hit) => hit.sessionId), [target.id]);
      await store.appendMessages(target.id, [{ role: 'user', content: 'and fromtheeditor too' }]);
      const hits = cliJson<SearchHit[]>(['search', 'fromtheeditor', '--json'], { store: `json:${dir.path}` });
      assert.deepEqual(hits.map((hit) => hit.sessionId), [target.id]);
    } finally {
      await store.close();
    }
  });

  it('answers right after a process is killed -9 while it builds or saves the index', async () => {
    for (let round = 0; round < 6; round++) {
      rmSync(file, { force: true });
      const child = spawnCli(['search', 'alpha'], `json:${dir.path}`);
      const exited = once(child, 'exit');
      await new Promise((resolve) => setTimeout(resolve, 150 + round * 120));
      child.kill('SIGKILL');
      await exited;
      const store = await openJsonStore(dir.path, { watch: false });
      const got = await answers(store);
      await store.close();
      assert.deepEqual(got, expected.map((hits) => hits.map((hit) => hit)), `round ${round}`);
    }
  });
});

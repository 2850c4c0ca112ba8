import assert from 'node:assert/strict';
import { writeFileSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { MemorySessionStore } from '../src/core/memoryStore';
import { NewMessage, Session, SessionSummary, summarize } from '../src/core/model';
import { sampleText, seededRandom } from '../src/cli/bench/sampleData';
import { IndexedSearch, SearchSource } from '../src/core/wordIndex/indexedSearch';
import { WordIndex } from '../src/core/wordIndex/wordIndex';
import { parseSearchQuery } from '../src/core/searchQuery';
import { storeQueryText } from '../src/core/searchQueryText';
import { textTokens } from '../src/core/textSearch/textTokens';
import { saveWordIndex } from '../src/stores/shared/search/wordIndexFile';
import { DamagedIndexError, loadWordIndex } from '../src/stores/shared/search/wordIndexLoad';
import { DIRECTORY_ENTRY_BYTES, SavedWordDirectory } from '../src/stores/shared/search/savedWordDirectory';
import { makeTempDir } from './helpers/tempDir';

// The word index against the rule it serves: on random sessions, every query answers exactly as
// the memory store (the reference: a scan with the shared rule) does; a saved index reads back
// whole or not at all.

const WORDS = ['alpha', 'alphabet', 'beta', 'gamma', 'Café', 'cafe', 'delta', 'pool', 'connection', 'x.y', 'naïve', 'ÉTÉ'];
const QUERIES = ['alpha', 'alpha ', 'alp', 'beta gamma', '"connection pool"', 'cafe', 'café ', 'x.y', 'pool role:user', 'delta after:2026-01-05', 'naive', 'ete', 'gamma tag:t1', 'zzz'];

async function randomStore(seed: number, sessions: number): Promise<MemorySessionStore> {
  const random = seededRandom(seed);
  const store = new MemorySessionStore();
  for (let s = 0; s < sessions; s++) {
    const messages = Array.from({ length: Math.floor(random() * 6) }, (_, m): NewMessage => ({
      role: random() < 0.5 ? 'user' : 'assistant',
      content: Array.from({ length: 1 + Math.floor(random() * 8) }, () => WORDS[Math.floor(random() * WORDS.length)]).join(random() < 0.5 ? ' ' : ', '),
      createdAt: new Date(Date.UTC(2026, 0, 1 + m * 2 + (s % 3))).toISOString(),
    }));
    const title = random() < 0.3 ? `About ${WORDS[Math.floor(random() * WORDS.length)]}` : `Session ${s}`;
    await store.create({ title, tags: random() < 0.5 ? ['t1'] : [], createdAt: '2026-01-01T00:00:00.000Z', messages });
  }
  return store;
}

/** Runs `work` in a fresh folder, removed afterwards. */
async function inTempDir(work: (folder: string) => Promise<void>): Promise<void> {
  const dir = makeTempDir();
  try {
    await work(dir.path);
  } finally {
    dir.cleanup();
  }
}

/** The store as an index sees it; summaries are the store's, kept as it reads (the memory store has no synchronous lookup). */
function sourceOf(store: MemorySessionStore, version = (session: Session) => `${session.messages.length}:${session.updatedAt}:${session.messages.map((m) => m.content.length).join(',')}`): SearchSource {
  const summaries = new Map<string, SessionSummary>();
  const seen = (session: Session | undefined, id: string): Session | undefined => {
    if (session) {
      summaries.set(id, summarize(session));
    } else {
      summaries.delete(id);
    }
    return session;
  };
  return {
    async read(id) {
      const session = seen(await store.get(id), id);
      return session && { session, version: version(session) };
    },
    async versions() {
      const versions = new Map<string, string>();
      summaries.clear();
      for (const summary of await store.list()) {
        const session = seen(await store.get(summary.id), summary.id);
        if (session) {
          versions.set(summary.id, version(session));
        }
      }
      return versions;
    },
    facts: (id) => summaries.get(id),
  };
}

describe('word index', () => {
  it('cuts text into folded words', () => {
    assert.deepEqual(textTokens('Déjà vu — the CAFÉ\u0301, x.y_z 42'), ['deja', 'vu', 'the', 'cafe', 'x', 'y', 'z', '42']);
    assert.equal(textTokens('a'.repeat(100))[0].length, 40);
  });

  it('parses phrases, filters and the word being typed', () => {
    const query = parseSearchQuery('"Connection Pool" tag:ci e-mail depl');
    assert.deepEqual(query.terms, [
      { tokens: ['connection', 'pool'], written: ['connection', 'pool'], prefix: false },
      { tokens: ['e', 'mail'], written: ['e', 'mail'], prefix: false },
      { tokens: ['depl'], written: ['depl'], prefix: true },
    ]);
    assert.deepEqual(parseSearchQuery('Café ').terms, [{ tokens: ['cafe'], written: ['café'], prefix: false }]);
    assert.deepEqual(query.tags, ['ci']);
    assert.equal(parseSearchQuery('depl ').terms[0].prefix, false);
    assert.equal(parseSearchQuery('"open quo').terms[0].prefix, true);
  });

  it('writes a parsed query back as store text that parses the same, leaving out unreadable filters', () => {
    for (const typed of ['"Connection Pool" tag:ci e-mail depl', 'Café role:user after:2026-03-01 before:2026-04-01 ', 'config.ya', 'x source:copilot "open quo', 'kafka role:bot']) {
      const parsed = parseSearchQuery(typed);
      const again = parseSearchQuery(storeQueryText(parsed));
      assert.deepEqual({ ...again, words: [], problems: [] }, { ...parsed, words: [], problems: [] }, typed);
      assert.deepEqual(again.problems, []);
    }
  });

  for (const limit of [1, 3, 50]) {
    it(`answers every query as the reference scan does (limit ${limit})`, async () => {
      const store = await randomStore(limit, 60);
      const search = new IndexedSearch(sourceOf(store));
      for (const query of QUERIES) {
        assert.deepEqual(await search.search(query, { limit }), await store.search(query, { limit }), query);
      }
    });
  }

  it('follows appends, edits, renames and deletes through change events', async () => {
    const store = await randomStore(9, 30);
    const search = new IndexedSearch(sourceOf(store));
    store.onDidChange((change) => search.noteChange(change));
    await search.search('alpha');
    const [first, second] = await store.list();
    await store.appendMessages(first.id, [{ role: 'user', content: 'brand new words here' }]);
    const [grown] = await store.appendMessages(second.id, [{ role: 'assistant', content: 'stre', incomplete: true }]);
    await store.updateMessage(second.id, grown.id, { content: 'streamed reply finished', incomplete: false });
    await store.update(first.id, { title: 'Renamed heading' });
    const doomed = (await store.list())[2];
    await store.delete(doomed.id);
    for (const query of [...QUERIES, 'brand', 'stre', 'streamed ', 'renamed', 'finished']) {
      assert.deepEqual(await search.search(query), await store.search(query), query);
    }
  });

  it('lists every message a word is in after a build larger than its queue, and after puts that follow', () => {
    const random = seededRandom(21);
    const index = new WordIndex();
    const sessions: Session[] = Array.from({ length: 600 }, (_, s) => ({
      id: `s${s}`,
      title: `Session ${s}`,
      tags: [],
      source: 'multichat',
      pinned: false,
      untitled: false,
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:00.000Z',
      lastMessageAt: '2026-01-01T00:00:00.000Z',
      // ~100 distinct words a message, so the 3,000 messages queue ~300,000 pairs: more than one queue's worth.
      messages: Array.from({ length: 5 }, (_, m) => ({ id: `m${s}-${m}`, role: 'user', content: `${sampleText(random)} Naïve`, createdAt: '2026-01-01T00:00:00.000Z' })),
    }));
    sessions.forEach((session) => index.put(session, 'v1'));
    index.put({ ...sessions[0], messages: [...sessions[0].messages, { id: 'late', role: 'user', content: 'kalo zzlate', createdAt: '2026-01-01T00:00:00.000Z' }] }, 'v2');
    const expected = new Map<string, Set<string>>();
    for (const session of sessions) {
      session.messages.forEach((message) => textTokens(message.content).forEach((word) => expected.set(word, (expected.get(word) ?? new Set()).add(message.id))));
    }
    expected.get('kalo')?.add('late');
    expected.set('zzlate', new Set(['late']));
    const idOf = new Map<number, string>();
    for (const id of index.ids()) {
      const entry = index.entry(id)!;
      const messages = id === 's0' ? [...sessions[0].messages.map((m) => m.id), 'late'] : sessions[Number(id.slice(1))].messages.map((m) => m.id);
      entry.ordinals.forEach((ordinal, at) => idOf.set(ordinal, messages[at]));
    }
    assert.ok(expected.size > 1000, `${expected.size} words`);
    for (const [word, messages] of expected) {
      const listed = new Set<string>();
      index.terms.get(word)?.forEach((ordinal) => listed.add(idOf.get(ordinal)!));
      assert.deepEqual(listed, messages, word);
    }
  });

  it('drops dead messages once they are half the index, with the same answers', async () => {
    const store = await randomStore(11, 40);
    const search = new IndexedSearch(sourceOf(store));
    store.onDidChange((change) => search.noteChange(change));
    const [target] = await store.list();
    const [reply] = await store.appendMessages(target.id, [{ role: 'assistant', content: 'x', incomplete: true }]);
    for (let step = 0; step < 5000; step++) {
      await store.updateMessage(target.id, reply.id, { content: `alpha step${step}` });
      await search.catchUp();
    }
    assert.ok(search.index.deadCount < 4096, `dead ${search.index.deadCount}`);
    for (const query of [...QUERIES, 'step4999', 'step17 ']) {
      assert.deepEqual(await search.search(query), await store.search(query), query);
    }
  });

  it('reads back what it saved, and nothing from a damaged or foreign file', async () => {
    const dir = makeTempDir();
    try {
      const store = await randomStore(5, 50);
      const search = new IndexedSearch(sourceOf(store));
      await search.catchUp();
      const file = join(dir.path, 'index.bin');
      await saveWordIndex(file, 'json:/a', search.index);
      const loaded = loadWordIndex(file, 'json:/a');
      assert.ok(loaded);
      const reloaded = new IndexedSearch(sourceOf(store), loaded.index);
      reloaded.checkEverything();
      for (const query of QUERIES) {
        assert.deepEqual(await reloaded.search(query), await store.search(query), query);
      }
      loaded.close();
      assert.equal(loadWordIndex(file, 'json:/b'), undefined, 'an index of another store');
      const bytes = readFileSync(file);
      const listsFrom = bytes.length - [...search.index.terms.values()].reduce((sum, list) => sum + list.length, 0);
      for (const at of [3, 9, 20, Math.floor(listsFrom / 2), listsFrom - 2]) {
        const damaged = Buffer.from(bytes);
        damaged[at] ^= 0x40;
        writeFileSync(file, damaged);
        assert.equal(loadWordIndex(file, 'json:/a'), undefined, `a flipped bit in the head, at ${at}`);
      }
      for (const at of [listsFrom, bytes.length - 1]) {
        const damaged = Buffer.from(bytes);
        damaged[at] ^= 0x40;
        writeFileSync(file, damaged);
        const lazy = loadWordIndex(file, 'json:/a');
        assert.ok(lazy, 'the head still reads');
        assert.throws(() => lazy.index.terms.forEach((list) => list.bytesNow()), DamagedIndexError, `a flipped bit in a list, at ${at}`);
        lazy.close();
      }
      writeFileSync(file, bytes.subarray(0, bytes.length - 100));
      assert.equal(loadWordIndex(file, 'json:/a'), undefined, 'a torn file');
      writeFileSync(file, Buffer.concat([bytes, Buffer.from('x')]));
      assert.equal(loadWordIndex(file, 'json:/a'), undefined, 'a file with bytes after its lists');
      rmSync(file);
      assert.equal(existsSync(file), false);
      assert.equal(loadWordIndex(file, 'json:/a'), undefined, 'no file');
    } finally {
      dir.cleanup();
    }
  });

  it('saves the index as it stood when the save began, whatever changes while the file is written', async () => {
    await inTempDir(async (folder) => {
      const store = await randomStore(9, 60);
      const search = new IndexedSearch(sourceOf(store));
      await search.catchUp();
      const file = join(folder, 'index.bin');
      let saved = false;
      const saving = saveWordIndex(file, 'json:/a', search.index).then(() => (saved = true));
      // Meanwhile the index alone changes (the store does not): sessions put with new words, others removed.
      const sessions = await store.list();
      let changes = 0;
      for (; !saved; changes++) {
        await new Promise((resolve) => setImmediate(resolve));
        const session = (await store.get(sessions[changes % sessions.length].id))!;
        if (changes % 3 === 2) {
          search.index.remove(session.id);
        } else {
          search.index.put({ ...session, messages: [...session.messages, { id: `m${changes}`, role: 'user', content: `alpha gamma later${changes}`, createdAt: session.createdAt }] }, 'changed');
        }
      }
      await saving;
      assert.ok(changes >= 2, `the save took ${changes} turns`);
      const reads: string[] = [];
      const source = sourceOf(store);
      const loaded = loadWordIndex(file, 'json:/a');
      assert.ok(loaded);
      const reloaded = new IndexedSearch({ ...source, read: (id) => (reads.push(id), source.read(id)) }, loaded.index);
      reloaded.checkEverything();
      await reloaded.catchUp();
      assert.deepEqual(reads, [], 'every session saved at the version the store still has');
      for (const query of QUERIES) {
        assert.deepEqual(await reloaded.search(query), await store.search(query), query);
      }
      loaded.close();
    });
  });

  it('keeps where the store keeps each message: new places for kept messages, across growth, compaction and a save', async () => {
    await inTempDir(async (folder) => {
      const index = new WordIndex();
      const session = (count: number, words = 'alpha'): Session => ({
        id: 's1', title: 't', createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z', lastMessageAt: '2026-01-01T00:00:00.000Z',
        untitled: false, tags: [], pinned: false, source: 'multichat',
        messages: Array.from({ length: count }, (_, m) => ({ id: `m${m}`, role: 'user' as const, content: `${words} ${m}`, createdAt: '2026-01-01T00:00:00.000Z' })),
      });
      const at = (shift: number) => (id: string) => [Number(id.slice(1)) * 10 + shift, Number(id.slice(1)) * 10 + shift + 1] as const;
      index.put({ ...session(3), id: 'other' }, 'v0');
      assert.equal(index.storedAtOf(0), undefined, 'nothing said, nothing kept');
      index.put(session(3), 'v1', at(100));
      const ordinals = () => [...index.entry('s1')!.ordinals];
      assert.deepEqual(ordinals().map((ordinal) => index.storedAtOf(ordinal)), [[100, 101], [110, 111], [120, 121]]);
      index.put(session(3), 'v2', at(500));
      assert.deepEqual(ordinals().map((ordinal) => index.storedAtOf(ordinal)), [[500, 501], [510, 511], [520, 521]], 'the same messages at new places');
      index.put(session(2000), 'v3', (id) => (id === 'm1' ? [2 ** 33, 1] : at(0)(id)));
      assert.equal(index.storedAtOf(index.entry('s1')!.ordinals[1]), undefined, 'a number too big to keep');
      for (let round = 0; round < 4; round++) {
        index.put(session(2000, `beta${round}`), `w${round}`, at(round));
      }
      assert.deepEqual(index.storedAtOf(index.entry('s1')!.ordinals[1999]), [19993, 19994], 'after compactions');
      assert.equal(index.storedAtOf(index.entry('other')!.ordinals[0]), undefined);
      const file = join(folder, 'index.bin');
      await saveWordIndex(file, 'json:/a', index);
      const loaded = loadWordIndex(file, 'json:/a');
      assert.ok(loaded);
      assert.deepEqual([...loaded.index.entry('s1')!.ordinals].map((ordinal) => loaded.index.storedAtOf(ordinal)), ordinals().map((ordinal) => index.storedAtOf(ordinal)));
      loaded.close();
    });
  });

  it('looks words and prefixes up in the saved directory as the index in memory does, whatever their characters', async () => {
    await inTempDir(async (folder) => {
      const store = new MemorySessionStore();
      const words = ['alpha', 'alphabet', 'alp', 'beta', 'zeta', '𠀀abc', '𠀀abd', 'ｅｘａｍ', 'ｅｘ', 'straße', 'ßa', '日本語', '日本', 'x9', 'x10'];
      for (const [at, word] of words.entries()) {
        await store.create({ title: `s${at}`, messages: [{ role: 'user', content: `${word} ${words[(at + 3) % words.length]} common` }] });
      }
      const search = new IndexedSearch(sourceOf(store));
      await search.catchUp();
      const file = join(folder, 'index.bin');
      await saveWordIndex(file, 'json:/a', search.index);
      const loaded = loadWordIndex(file, 'json:/a');
      assert.ok(loaded);
      const ordinals = (lists: { forEach(visit: (ordinal: number) => void): void }[]) => lists.map((list) => { const seen: number[] = []; list.forEach((o) => seen.push(o)); return seen; });
      const memoryWords = [...search.index.terms.keys()];
      for (const word of [...memoryWords, 'missing', '']) {
        assert.deepEqual(ordinals(loaded.index.list(word) ? [loaded.index.list(word)!] : []), ordinals(search.index.terms.get(word) ? [search.index.terms.get(word)!] : []), word);
        for (const prefix of [...new Set(Array.from(word, (_, end) => word.slice(0, end + 1)))]) {
          assert.deepEqual(ordinals(loaded.index.listsWithPrefix(prefix)), ordinals(search.index.listsWithPrefix(prefix)), `prefix ${prefix}`);
        }
      }
      assert.deepEqual([...loaded.index.terms.keys()].sort(), memoryWords.sort(), 'every word, once all are needed');
      loaded.close();
      const entries = Buffer.alloc(2 * DIRECTORY_ENTRY_BYTES);
      entries.writeUInt32LE(3, 0);
      entries.writeUInt32LE(99, DIRECTORY_ENTRY_BYTES);
      const damaged = new SavedWordDirectory(entries, Buffer.from('abcdef'), 2, () => () => new Uint8Array(0), file);
      assert.throws(() => damaged.find('zzz'), DamagedIndexError, 'a name past the names');
      assert.throws(() => [...damaged.entries()], DamagedIndexError);
    });
  });

  it('answers a search that arrives while a catch-up is still reading, only once it is done', async () => {
    const store = await randomStore(8, 40);
    const source = sourceOf(store);
    const slow: SearchSource = {
      versions: async () => (await new Promise((resolve) => setTimeout(resolve, 30)), source.versions()),
      read: async (id) => (await new Promise((resolve) => setImmediate(resolve)), source.read(id)),
      facts: source.facts,
    };
    const search = new IndexedSearch(slow);
    const building = search.catchUp();
    await new Promise((resolve) => setTimeout(resolve, 5)); // the build is waiting for the versions
    assert.deepEqual(await search.search('alpha'), await store.search('alpha'));
    await building;
  });

  it('re-reads only the sessions whose version changed since it was saved', async () => {
    const store = await randomStore(6, 20);
    const reads: string[] = [];
    const source = sourceOf(store);
    const counting: SearchSource = { versions: () => source.versions(), read: (id) => (reads.push(id), source.read(id)), facts: source.facts };
    const search = new IndexedSearch(counting, new WordIndex());
    await search.catchUp();
    const [changed] = await store.list();
    await store.appendMessages(changed.id, [{ role: 'user', content: 'later words' }]);
    reads.length = 0;
    search.checkEverything();
    await search.catchUp();
    assert.deepEqual(reads, [changed.id]);
  });
});

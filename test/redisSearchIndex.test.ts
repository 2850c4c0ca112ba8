import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { copyFileSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { sampleSession, seededRandom } from '../src/cli/bench/sampleData';
import { SessionStore } from '../src/core/store';
import { migrateSessions } from '../src/interop/migrate';
import { openRedisStore } from '../src/stores/redis/openRedisStore';
import { sessionKeys } from '../src/stores/redis/redisKeys';
import { SEARCH_WORDS_FILE } from '../src/stores/redis/search/redisSearch';
import { SEARCH_STATE_FILE } from '../src/stores/redis/search/searchState';
import { openSqliteStore } from '../src/stores/sqlite/sqliteStore';
import { freshPrefix } from './redis/redisFixtures';
import { RedisServer, startRedis } from './helpers/redisServers';
import { OpenedStores } from './helpers/stores';
import { CLI_PATH, cliOk } from './helpers/cli';
import { makeTempDir } from './helpers/tempDir';

// The local search index a Redis store searches (search/redisSearch.ts): the same answers as the
// SQLite backend, other clients' changes found at the next search, a saved index reused and caught
// up from the change feed, and rebuilt when the feed or the files cannot be trusted; right after a
// server death and a kill -9. On real redis-servers the file starts itself.

const QUERIES = ['nelo', 'kalone', 'kalokaru', 'ka', 'session 3', 'c++', 'été', 'nothingmatchesthis'];

describe("the Redis store's local search index", { timeout: 60_000 }, () => {
  let server: RedisServer;
  const stores = new OpenedStores();
  const temps: (() => void)[] = [];

  before(async () => {
    server = await startRedis();
  });
  after(async () => server.stop());
  afterEach(async () => {
    await stores.closeAll();
    temps.splice(0).forEach((cleanup) => cleanup());
  });

  /** A folder of its own for one client's index (as two machines would each have). */
  function indexFolder(): string {
    const temp = makeTempDir();
    temps.push(temp.cleanup);
    return temp.path;
  }

  function client(spec: string, indexDirectory = indexFolder()): Promise<SessionStore> {
    return stores.track(openRedisStore(spec, { indexDirectory }));
  }

  async function found(store: SessionStore, query: string): Promise<string[]> {
    return (await store.search(query)).map((hit) => hit.sessionId);
  }

  /** Sample sessions, the same for the same seed. */
  async function seed(store: SessionStore, how: { sessions: number; messages: number; seed: number }): Promise<void> {
    const random = seededRandom(how.seed);
    for (let i = 0; i < how.sessions; i++) {
      await store.create(sampleSession(random, i, how.messages));
    }
  }

  /** When each of the index's files was last written. */
  function savedTimes(folder: string): number[] {
    return [SEARCH_STATE_FILE, SEARCH_WORDS_FILE].map((name) => statSync(join(folder, name)).mtimeMs);
  }

  it('answers every query as the SQLite backend does with the same sessions', async () => {
    const spec = `redis://127.0.0.1:${server.port}?prefix=${freshPrefix()}`;
    const redis = await client(spec);
    await seed(redis, { sessions: 40, messages: 4, seed: 7 });
    await redis.create({ title: 'Plain title', messages: [{ role: 'user', content: 'Is C++ faster? En été, oui.' }] });
    const sqlite = await stores.track(openSqliteStore(join(indexFolder(), 'same.sqlite'), { watch: false }));
    await migrateSessions(redis, sqlite);
    for (const query of QUERIES) {
      for (const limit of [undefined, 3]) {
        assert.deepEqual(await redis.search(query, { limit }), await sqlite.search(query, { limit }), `${query} (limit ${limit})`);
      }
    }
  });

  it("finds what another client wrote, renamed, edited and deleted, at its next search", async () => {
    const spec = `redis://127.0.0.1:${server.port}?prefix=${freshPrefix()}`;
    const writer = await client(spec);
    const reader = await client(spec);
    const first = await writer.create({ title: 'First', messages: [{ role: 'user', content: 'alpha beta' }] });
    const second = await writer.create({ title: 'Second', messages: [{ role: 'user', content: 'alpha gamma' }] });
    assert.deepEqual((await found(reader, 'alpha')).sort(), [first.id, second.id].sort());
    await writer.appendMessages(first.id, [{ role: 'assistant', content: 'a zebra appears' }]);
    assert.deepEqual(await found(reader, 'zebra'), [first.id]);
    await writer.update(second.id, { title: 'Quokka notes' });
    assert.deepEqual(await found(reader, 'quokka'), [second.id]);
    const [message] = await writer.appendMessages(second.id, [{ role: 'assistant', content: 'drafting…', incomplete: true }]);
    await writer.updateMessage(second.id, message.id, { content: 'a walrus, finished', incomplete: false });
    assert.deepEqual(await found(reader, 'walrus'), [second.id]);
    assert.deepEqual(await found(reader, 'drafting'), []);
    await writer.delete(first.id);
    assert.deepEqual(await found(reader, 'zebra'), []);
  });

  it('reuses the saved index in a new process and reads only what the feed names', async () => {
    const spec = `redis://127.0.0.1:${server.port}?prefix=${freshPrefix()}`;
    const writer = await client(spec);
    await writer.create({ title: 'Kept', messages: [{ role: 'user', content: 'persistent words' }] });
    const folder = indexFolder();
    const first = await client(spec, folder);
    assert.equal((await found(first, 'persistent')).length, 1);
    await first.close();
    const saved = savedTimes(folder);
    const added = await writer.create({ title: 'Added later', messages: [{ role: 'user', content: 'newcomer' }] });
    const second = await client(spec, folder);
    assert.deepEqual(await found(second, 'newcomer'), [added.id]);
    assert.equal((await found(second, 'persistent')).length, 1);
    await second.close();
    // A rebuild would have saved the files again; one new session is not worth a save.
    assert.deepEqual(savedTimes(folder), saved);
  });

  it('saves once the changes are worth it, and answers right from any mix of older and newer files', async () => {
    const spec = `redis://127.0.0.1:${server.port}?prefix=${freshPrefix()}`;
    const writer = await client(spec);
    const doomed = await writer.create({ title: 'Doomed', messages: [{ role: 'user', content: 'ephemeral' }] });
    const folder = indexFolder();
    const [state, words] = [join(folder, SEARCH_STATE_FILE), join(folder, SEARCH_WORDS_FILE)];
    const builder = await client(spec, folder);
    await builder.search('ephemeral');
    await builder.close();
    [state, words].forEach((file) => copyFileSync(file, `${file}.before`));
    const built = savedTimes(folder);
    await writer.delete(doomed.id);
    const born = await Promise.all(Array.from({ length: 30 }, (_, i) => writer.create({ title: `Born ${i}`, messages: [{ role: 'user', content: `ephemeral ${i}` }] })));
    const catchingUp = await client(spec, folder);
    assert.equal((await found(catchingUp, 'ephemeral')).length, 30);
    await catchingUp.close();
    assert.notDeepEqual(savedTimes(folder), built, '30 changed sessions are worth a save');
    const expected = born.map((session) => session.id).sort();
    // As if one save or the other (or both) had been lost, or had come from another process.
    for (const lost of [[state], [words], [state, words]]) {
      const newer = [state, words].map((file) => readFileSync(file));
      lost.forEach((file) => copyFileSync(`${file}.before`, file));
      const reopened = await client(spec, folder);
      assert.deepEqual((await found(reopened, 'ephemeral')).sort(), expected, `with an older ${lost.map((file) => basename(file)).join(' and ')}`);
      await reopened.close();
      [state, words].forEach((file, position) => writeFileSync(file, newer[position]));
    }
  });

  it("reads a bucket whole again when its feed has a gap (the feed was deleted and began again)", async () => {
    const prefix = freshPrefix();
    const spec = `redis://127.0.0.1:${server.port}?prefix=${prefix}`;
    const writer = await client(spec);
    const reader = await client(spec);
    const gone = await writer.create({ title: 'Gone', messages: [{ role: 'user', content: 'vanishing act' }] });
    assert.deepEqual(await found(reader, 'vanishing'), [gone.id]);
    await writer.delete(gone.id);
    const raw = new Redis({ host: '127.0.0.1', port: server.port, lazyConnect: true });
    try {
      await raw.connect();
      await raw.del(sessionKeys(prefix, gone.id).changes); // the deletion's feed entry with it
    } finally {
      raw.disconnect();
    }
    assert.deepEqual(await found(reader, 'vanishing'), []);
  });

  it('rebuilds from files it cannot read or that are of another namespace, and removes the former copy', async () => {
    const spec = `redis://127.0.0.1:${server.port}?prefix=${freshPrefix()}`;
    const writer = await client(spec);
    const session = await writer.create({ title: 'Survivor', messages: [{ role: 'user', content: 'resilient text' }] });
    const folder = indexFolder();
    const [state, words] = [join(folder, SEARCH_STATE_FILE), join(folder, SEARCH_WORDS_FILE)];
    const builder = await client(spec, folder);
    await builder.search('resilient');
    await builder.close();
    const good = JSON.parse(readFileSync(state, 'utf8')) as { of: string; sessions: unknown[][] };
    const damages: [string, string, string][] = [
      ['not JSON', state, '{"layout": 1, "sess'],
      ['a fact of the wrong kind', state, JSON.stringify({ ...good, sessions: good.sessions.map(([id, version]) => [id, version, 'Title', 'not a list', '', '2026-01-01T00:00:00.000Z']) })],
      ["another namespace's", state, JSON.stringify({ ...good, of: 'another prefix' })],
      ['a torn word index', words, 'MCWORDS1'],
    ];
    for (const [damage, file, text] of damages) {
      writeFileSync(join(folder, 'search-index.sqlite'), 'the copy earlier versions kept');
      writeFileSync(file, text);
      const reader = await client(spec, folder);
      assert.deepEqual(await found(reader, 'resilient'), [session.id], damage);
      await writer.appendMessages(session.id, [{ role: 'assistant', content: `found after ${damage}` }]);
      assert.deepEqual(await found(reader, `"after ${damage}"`), [session.id], damage);
      await reader.close();
      assert.ok(existsSync(state) && existsSync(words), `${damage}: saved again`);
    }
    assert.ok(!existsSync(join(folder, 'search-index.sqlite')), 'the former copy is removed once the index is built');
  });

  it('rebuilds its index on verify --repair, saying so when the saved one could not be read', async () => {
    const spec = `redis://127.0.0.1:${server.port}?prefix=${freshPrefix()}`;
    const writer = await client(spec);
    const session = await writer.create({ title: 'Mended', messages: [{ role: 'user', content: 'patched up' }] });
    const folder = indexFolder();
    const store = await client(spec, folder);
    assert.deepEqual((await store.verify({ repair: true })).repairs, [], 'nothing saved yet: nothing to rebuild');
    assert.deepEqual(await found(store, 'patched'), [session.id]);
    assert.deepEqual((await store.verify({ repair: true })).repairs, []);
    writeFileSync(join(folder, SEARCH_STATE_FILE), 'damaged');
    const repairs = (await store.verify({ repair: true })).repairs;
    assert.equal(repairs.length, 1);
    assert.match(repairs[0], /rebuilt the search index of 1 sessions: .*search-state\.json could not be read/);
    assert.deepEqual(await found(store, 'patched'), [session.id]);
    await store.close();
    assert.ok(JSON.parse(readFileSync(join(folder, SEARCH_STATE_FILE), 'utf8')), 'saved again whole');
  });

  it('answers right after the server dies in the middle of a catch-up, once it is back', async () => {
    const own = await startRedis();
    try {
      const spec = `redis://127.0.0.1:${own.port}?prefix=${freshPrefix()}`;
      const writer = await client(spec);
      const reader = await client(spec);
      assert.deepEqual(await found(reader, 'anything'), []);
      const ids = (await Promise.all(Array.from({ length: 400 }, (_, i) => writer.create({ title: `Outage ${i}`, messages: [{ role: 'user', content: `blackout ${i}` }] })))).map((s) => s.id);
      const searching = reader.search('blackout', { limit: 1_000 });
      await new Promise((resolve) => setTimeout(resolve, 5));
      await own.kill();
      await assert.rejects(searching);
      await own.restart();
      assert.deepEqual((await reader.search('blackout', { limit: 1_000 })).map((hit) => hit.sessionId).sort(), ids.sort());
    } finally {
      await stores.closeAll();
      await own.stop();
    }
  });

  it('answers right after a process is killed -9 while it builds or saves the index', async () => {
    const spec = `redis://127.0.0.1:${server.port}?prefix=${freshPrefix()}`;
    const writer = await client(spec);
    await seed(writer, { sessions: 150, messages: 6, seed: 11 });
    const cache = indexFolder();
    const search = (cacheHome: string): string => cliOk(['--store', spec, 'search', 'nelo', '--limit', '500', '--json'], { env: { XDG_CACHE_HOME: cacheHome } });
    const expected = await writer.search('nelo', { limit: 500 });
    for (let round = 0; round < 6; round++) {
      const child = spawn(process.execPath, [CLI_PATH, '--store', spec, 'search', 'nelo'], { stdio: 'ignore', env: { ...process.env, XDG_CACHE_HOME: cache } });
      const exited = once(child, 'exit');
      await new Promise((resolve) => setTimeout(resolve, 200 + round * 150));
      child.kill('SIGKILL');
      await exited;
      await writer.appendMessages(expected[round].sessionId, [{ role: 'assistant', content: `nelo round ${round}` }]);
      assert.deepEqual(JSON.parse(search(cache)), JSON.parse(search(indexFolder())), `round ${round}: as an index built from nothing answers`);
    }
  });

  it('still searches, from memory, when its cache folder cannot be written', async () => {
    const spec = `redis://127.0.0.1:${server.port}?prefix=${freshPrefix()}`;
    const writer = await client(spec);
    const session = await writer.create({ title: 'Homeless', messages: [{ role: 'user', content: 'nowhere to save' }] });
    const notAFolder = join(indexFolder(), 'a-file');
    writeFileSync(notAFolder, 'in the way');
    const reader = await client(spec, join(notAFolder, 'index'));
    assert.deepEqual(await found(reader, 'nowhere'), [session.id]);
    await writer.appendMessages(session.id, [{ role: 'assistant', content: 'still found' }]);
    assert.deepEqual(await found(reader, 'still'), [session.id]);
  });
});

import assert from 'node:assert/strict';
import { copyFileSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import initSqlJs from 'sql.js';
import { sampleSession, seededRandom } from '../src/cli/bench/sampleData';
import { SessionStore } from '../src/core/store';
import { migrateSessions } from '../src/interop/migrate';
import { openRedisStore } from '../src/stores/redis/openRedisStore';
import { sessionKeys } from '../src/stores/redis/redisKeys';
import { SEARCH_INDEX_FILE } from '../src/stores/redis/redisSearch';
import { configureConnection, createSchema } from '../src/stores/sqlite/database/schema';
import { readAllSummaries } from '../src/stores/sqlite/database/sessionRows';
import { Statements } from '../src/stores/sqlite/database/statements';
import { openSqliteStore } from '../src/stores/sqlite/sqliteStore';
import { freshPrefix } from './redis/redisFixtures';
import { RedisServer, startRedis } from './helpers/redisServers';
import { OpenedStores } from './helpers/stores';
import { makeTempDir } from './helpers/tempDir';

// The local search index a Redis store searches (redisSearch.ts, localSearchIndex.ts): the same
// answers as the SQLite backend, other clients' changes found at the next search, a saved index
// reused and caught up from the change feed, and rebuilt when the feed or the file cannot be
// trusted. On a real redis-server the file starts itself.

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

  it('answers every query as the SQLite backend does with the same sessions', async () => {
    const spec = `redis://127.0.0.1:${server.port}?prefix=${freshPrefix()}`;
    const redis = await client(spec);
    const random = seededRandom(7);
    for (let i = 0; i < 40; i++) {
      await redis.create(sampleSession(random, i, 4));
    }
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
    const file = join(folder, SEARCH_INDEX_FILE);
    const saved = statSync(file).mtimeMs;
    const added = await writer.create({ title: 'Added later', messages: [{ role: 'user', content: 'newcomer' }] });
    const second = await client(spec, folder);
    assert.deepEqual(await found(second, 'newcomer'), [added.id]);
    assert.equal((await found(second, 'persistent')).length, 1);
    await second.close();
    // A rebuild would have saved the file again; one new session is not worth a save.
    assert.equal(statSync(file).mtimeMs, saved);
  });

  it('saves once the changes are worth it, and catches up from the feed when that save is lost', async () => {
    const spec = `redis://127.0.0.1:${server.port}?prefix=${freshPrefix()}`;
    const writer = await client(spec);
    const doomed = await writer.create({ title: 'Doomed', messages: [{ role: 'user', content: 'ephemeral' }] });
    const folder = indexFolder();
    const file = join(folder, SEARCH_INDEX_FILE);
    await (await client(spec, folder)).search('ephemeral');
    copyFileSync(file, `${file}.before`);
    const builtAt = statSync(file).mtimeMs;
    await writer.delete(doomed.id);
    const replies = Array.from({ length: 2_100 }, (_, i) => ({ role: 'assistant' as const, content: `ephemeral reply ${i}` }));
    const born = await writer.create({ title: 'Born', messages: replies });
    const catchingUp = await client(spec, folder);
    assert.deepEqual(await found(catchingUp, 'ephemeral'), [born.id]);
    await catchingUp.close();
    assert.notEqual(statSync(file).mtimeMs, builtAt, '2,100 new messages are worth a save');
    copyFileSync(`${file}.before`, file); // as if that save had been lost
    const reopened = await client(spec, folder);
    assert.deepEqual(await found(reopened, 'ephemeral'), [born.id]);
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

  it('rebuilds an index file it cannot read, with the full-text tables as the schema makes them', async () => {
    const spec = `redis://127.0.0.1:${server.port}?prefix=${freshPrefix()}`;
    const writer = await client(spec);
    const session = await writer.create({ title: 'Survivor', messages: [{ role: 'user', content: 'resilient text' }] });
    const folder = indexFolder();
    const file = join(folder, SEARCH_INDEX_FILE);
    writeFileSync(file, 'not a database at all');
    const reader = await client(spec, folder);
    assert.deepEqual(await found(reader, 'resilient'), [session.id]);
    await writer.appendMessages(session.id, [{ role: 'assistant', content: 'indexed after the bulk build' }]);
    assert.deepEqual(await found(reader, 'bulk'), [session.id]);
    const sqlJs = await initSqlJs();
    const saved = new sqlJs.Database(readFileSync(file));
    const fresh = new sqlJs.Database();
    configureConnection(fresh);
    createSchema(fresh);
    const schemaOf = (db: typeof fresh): unknown[] => db.exec("SELECT type, name, sql FROM sqlite_master WHERE name LIKE '%fts%' ORDER BY name")[0]?.values ?? [];
    assert.deepEqual(schemaOf(saved), schemaOf(fresh));
    const blob = saved.exec("SELECT value FROM meta WHERE key = 'redis_search_summaries'")[0]?.values[0]?.[0] as Uint8Array;
    assert.deepEqual(JSON.parse(Buffer.from(blob).toString('utf8')), readAllSummaries(new Statements(saved)), 'the summaries saved beside the rows say what the rows say');
    saved.close();
    fresh.close();
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

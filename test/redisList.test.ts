import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { SessionStore } from '../src/core/store';
import { openRedisStore } from '../src/stores/redis/openRedisStore';
import { freshPrefix } from './redis/redisFixtures';
import { RedisServer, startRedis } from './helpers/redisServers';
import { OpenedStores } from './helpers/stores';
import { makeTempDir, waitFor } from './helpers/tempDir';
import { startRecordingProxy } from './helpers/recordingProxy';

// A Redis store's list validates and sorts again only what changed since it last listed
// (redisReader.ts): what it hands out must still be the namespace as it is now, whoever changed
// it and however (another client, or a deadline passing), and the caller's own to change.

describe('listing a Redis namespace again', { timeout: 60_000 }, () => {
  let server: RedisServer;
  const stores = new OpenedStores();
  const temp = makeTempDir();

  before(async () => {
    server = await startRedis();
  });
  after(async () => {
    await server.stop();
    temp.cleanup();
  });
  afterEach(() => stores.closeAll());

  function open(spec: string): Promise<SessionStore> {
    return stores.track(openRedisStore(spec, { indexDirectory: temp.path }));
  }

  it("shows every other client's change, and none of the caller's edits to what it was given", async () => {
    const spec = `redis://127.0.0.1:${server.port}?prefix=${freshPrefix()}`;
    const lister = await open(spec);
    const other = await open(spec);
    const [kept, renamed, deleted] = [await other.create({ title: 'kept' }), await other.create({ title: 'to rename' }), await other.create({ title: 'to delete' })];
    const first = await lister.list();
    assert.deepEqual(first.map((summary) => summary.id).sort(), [kept.id, renamed.id, deleted.id].sort());
    first[0].title = 'changed by the caller';
    first[0].tags.push('caller-tag');
    assert.deepEqual(await lister.list(), await other.list(), 'the caller changed its copy only');
    await other.update(renamed.id, { title: 'renamed' });
    await other.delete(deleted.id);
    const added = await other.create({ title: 'added' });
    const again = await lister.list();
    assert.deepEqual(again.map((summary) => [summary.id, summary.title]).sort(), [[kept.id, 'kept'], [renamed.id, 'renamed'], [added.id, 'added']].sort());
    assert.equal((await lister.list({ limit: 1 }))[0].id, again[0].id, 'the first page agrees with the whole list');
  });

  it('is not sent a bucket again that nobody changed since it was listed', async () => {
    const proxy = await startRecordingProxy(server.port);
    try {
      const prefix = freshPrefix();
      const lister = await open(`redis://127.0.0.1:${proxy.port}?prefix=${prefix}`);
      const other = await open(`redis://127.0.0.1:${server.port}?prefix=${prefix}`);
      const long = 'x'.repeat(400);
      for (let i = 0; i < 64; i++) {
        await other.create({ title: `session ${i} ${long}` });
      }
      const sent = async (): Promise<number> => {
        const before = proxy.repliedBytes();
        await lister.list();
        return proxy.repliedBytes() - before;
      };
      const whole = await sent();
      assert.ok(whole > 64 * 400, `the first listing gets every summary (${whole} bytes)`);
      const unchanged = await sent();
      assert.ok(unchanged < whole / 20, `an unchanged namespace is answered with versions only (${unchanged} of ${whole} bytes)`);
      const added = await other.create({ title: 'one more' });
      const oneBucket = await sent();
      assert.ok(oneBucket > unchanged && oneBucket < whole / 2, `one changed bucket is sent again, alone (${oneBucket} of ${whole} bytes)`);
      assert.ok((await lister.list()).some((summary) => summary.id === added.id), 'and the listing has what changed');
    } finally {
      await stores.closeAll();
      await proxy.close();
    }
  });

  it('drops a session whose deadline has passed, though nobody wrote since', async () => {
    const spec = `redis://127.0.0.1:${server.port}?prefix=${freshPrefix()}&ttl=1`;
    const store = await open(spec);
    const pinned = await store.create({ title: 'pinned', pinned: true });
    const fleeting = await store.create({ title: 'fleeting' });
    assert.equal((await store.list()).length, 2);
    await waitFor(async () => (await store.list()).length === 1, 5_000);
    assert.deepEqual((await store.list()).map((summary) => summary.id), [pinned.id]);
    assert.notEqual(pinned.id, fleeting.id);
  });
});

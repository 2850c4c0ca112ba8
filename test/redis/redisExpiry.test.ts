import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { SessionStore, StoreChange } from '../../src/core/store';
import { openRedisStore } from '../../src/stores/redis/openRedisStore';
import { sessionKeys } from '../../src/stores/redis/redisKeys';
import { aMessage, aSession } from '../helpers/builders';
import { RedisServer } from '../helpers/redisServers';
import { OpenedStores } from '../helpers/stores';
import { makeTempDir, waitFor } from '../helpers/tempDir';
import { freshPrefix, redisTestBed } from './redisFixtures';

// ttl=<seconds>: a session nobody touches for that long disappears as a whole — its keys and its
// index entry, never a ghost in list, get or search — while activity refreshes it and a pinned
// session never expires.

const TTL_SECONDS = 2;

describe('Redis store with a ttl', { timeout: 60_000 }, () => {
  const bed = redisTestBed('standalone');
  const opened = new OpenedStores();
  const temp = makeTempDir();
  const open = (prefix: string, ttl = TTL_SECONDS): Promise<SessionStore> =>
    opened.track(openRedisStore(`${bed.spec(prefix)}&ttl=${ttl}`, { indexDirectory: `${temp.path}/${prefix}` }));
  const raw = (): Redis => new Redis({ port: (bed.server() as RedisServer).port, lazyConnect: true, maxRetriesPerRequest: 1 });

  afterEach(() => opened.closeAll());

  it('drops an untouched session whole, keeps a pinned one and one kept busy', async () => {
    const prefix = freshPrefix();
    const store = await open(prefix);
    const idle = await store.create(aSession({ title: 'Idle expirable words', messages: [aMessage({ content: 'idle message' })] }));
    const pinned = await store.create(aSession({ title: 'Pinned expirable words', pinned: true, messages: [aMessage()] }));
    const busy = await store.create(aSession({ title: 'Busy expirable words' }));
    assert.equal((await store.search('expirable')).length, 3);
    const started = Date.now();
    while (Date.now() - started < (TTL_SECONDS + 1) * 1000) {
      await store.appendMessages(busy.id, [aMessage({ content: 'still here' })]);
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    assert.equal(await store.get(idle.id), undefined, 'get no longer finds it');
    assert.deepEqual((await store.list()).map((summary) => summary.id).sort(), [busy.id, pinned.id].sort(), 'no ghost in list');
    assert.deepEqual((await store.list({ limit: 10 })).map((summary) => summary.id).sort(), [busy.id, pinned.id].sort(), 'nor in the first page');
    assert.deepEqual((await store.search('expirable')).map((hit) => hit.sessionId).sort(), [busy.id, pinned.id].sort(), 'nor in search');
    await rejectsNotFound(store.appendMessages(idle.id, [aMessage()]));
    const client = raw();
    try {
      const keys = sessionKeys(prefix, idle.id);
      assert.equal(await client.exists(keys.messages, keys.order, keys.creation), 0, 'its keys are gone');
      assert.equal(await client.hexists(keys.summaries, idle.id), 0, 'its index entry is gone');
      assert.equal(await client.zscore(keys.expiry, idle.id), null);
      const pinnedKeys = sessionKeys(prefix, pinned.id);
      assert.equal(await client.pttl(pinnedKeys.messages), -1, 'a pinned session has no expiry');
      assert.ok((await client.pttl(sessionKeys(prefix, busy.id).messages)) > 0, 'a busy one expires later');
    } finally {
      client.disconnect();
    }
  });

  it('starts the clock again when a session is unpinned, and tells listeners when it expires', async () => {
    const prefix = freshPrefix();
    const store = await open(prefix);
    const watcher = await open(prefix);
    const changes: StoreChange[] = [];
    watcher.onDidChange((change) => changes.push(change));
    const session = await store.create(aSession({ pinned: true, messages: [aMessage()] }));
    await new Promise((resolve) => setTimeout(resolve, (TTL_SECONDS + 0.5) * 1000));
    assert.ok(await store.get(session.id), 'pinned: still there');
    await store.update(session.id, { pinned: false });
    assert.ok(await store.get(session.id), 'unpinned: a full ttl from now');
    await waitFor(() => changes.some((change) => change.kind === 'deleted' && 'sessionId' in change && change.sessionId === session.id), (TTL_SECONDS + 4) * 1000);
    assert.equal(await watcher.get(session.id), undefined);
  });

  it('keeps sessions written without a ttl, even in a namespace others write with one', async () => {
    const prefix = freshPrefix();
    const lasting = await opened.track(openRedisStore(bed.spec(prefix), { indexDirectory: `${temp.path}/${prefix}-lasting` }));
    const expiring = await open(prefix, 1);
    const kept = await lasting.create(aSession({ title: 'Kept' }));
    const dropped = await expiring.create(aSession({ title: 'Dropped' }));
    await new Promise((resolve) => setTimeout(resolve, 2_200));
    assert.deepEqual((await lasting.list()).map((summary) => summary.id), [kept.id]);
    assert.equal(await expiring.get(dropped.id), undefined);
  });
});

async function rejectsNotFound(promise: Promise<unknown>): Promise<void> {
  await assert.rejects(promise, (error: { code?: string }) => error.code === 'not-found');
}

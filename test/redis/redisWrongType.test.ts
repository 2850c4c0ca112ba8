import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { openRedisStore } from '../../src/stores/redis/openRedisStore';
import { sessionKeys } from '../../src/stores/redis/redisKeys';
import { RedisServer } from '../helpers/redisServers';
import { makeTempDir } from '../helpers/tempDir';
import { freshPrefix, redisTestBed } from './redisFixtures';

// A write that meets garbage of the wrong type under one of its keys changes nothing at all
// (Redis would not roll back a script that failed halfway) and says which key and what to do.

describe('Redis writes that meet a key of the wrong type', { timeout: 60_000 }, () => {
  const bed = redisTestBed('standalone');
  const temp = makeTempDir();

  for (const [name, pick] of [
    ['messages', (keys: ReturnType<typeof sessionKeys>) => keys.messages],
    ['order', (keys: ReturnType<typeof sessionKeys>) => keys.order],
    ['changes', (keys: ReturnType<typeof sessionKeys>) => keys.changes],
  ] as const) {
    it(`refuses an append when the session's ${name} key holds a string, and writes nothing`, async () => {
      const prefix = freshPrefix();
      const store = await openRedisStore(bed.spec(prefix), { indexDirectory: `${temp.path}/${prefix}` });
      const client = new Redis({ port: (bed.server() as RedisServer).port, maxRetriesPerRequest: 1 });
      try {
        const session = await store.create({ title: 'Victim', messages: [{ role: 'user', content: 'kept' }] });
        const keys = sessionKeys(prefix, session.id);
        await client.del(pick(keys));
        await client.set(pick(keys), 'garbage');
        const before = await client.hget(keys.summaries, session.id);
        await assert.rejects(store.appendMessages(session.id, [{ role: 'user', content: 'refused' }]), (error: Error & { code?: string }) => {
          assert.equal(error.code, 'unavailable');
          assert.match(error.message, new RegExp(`holds something else under ${pick(keys).replace(/[{}]/g, '\\$&')}; nothing was changed — run "multichat verify --repair"`));
          return true;
        });
        assert.equal(await client.hget(keys.summaries, session.id), before, 'the summary is untouched');
        assert.equal(await client.get(pick(keys)), 'garbage', 'the garbage is left for verify --repair');
      } finally {
        client.disconnect();
        await store.close();
      }
    });
  }
});

import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { sessionStoreContract } from '../contract/sessionStoreContract';
import { redisCli } from '../helpers/redisServers';
import { RedisServer } from '../helpers/redisServers';
import { makeTempDir } from '../helpers/tempDir';
import { openRedisStore } from '../../src/stores/redis/openRedisStore';
import { freshPrefix, redisTestBed } from './redisFixtures';

// Least privilege: the whole contract holds for an ACL user limited to the namespace's keys and
// channels, without dangerous commands — the ACL line the README gives.

const PREFIX = freshPrefix();
const PASSWORD = 'acl-p@ss/w:rd';

describe('Redis store as a least-privilege ACL user', { timeout: 120_000 }, () => {
  const bed = redisTestBed('standalone');
  const port = (): number => (bed.server() as RedisServer).port;
  const spec = (): string => bed.spec(PREFIX).replace('redis://', `redis://chat:${encodeURIComponent(PASSWORD)}@`);

  before(async () => {
    await redisCli(['-p', String(port()), 'ACL', 'SETUSER', 'chat', 'on', `>${PASSWORD}`, `~${PREFIX}:*`, `&${PREFIX}:*`, '+@all', '-@dangerous']);
  });

  it('is refused anything outside its namespace (the ACL is in force)', async () => {
    const client = new Redis({ port: port(), username: 'chat', password: PASSWORD, lazyConnect: true, maxRetriesPerRequest: 1 });
    try {
      await client.connect();
      await assert.rejects(client.set('elsewhere:key', 'x'), /NOPERM/);
      await assert.rejects(client.info(), /NOPERM/);
    } finally {
      client.disconnect();
    }
  });

  sessionStoreContract(
    'redis as an ACL user',
    async () => {
      const temp = makeTempDir();
      // One namespace for the ACL: each fixture empties it first, as a fresh namespace would be.
      await redisCli(['-p', String(port()), '--scan', '--pattern', `${PREFIX}:*`]).then(async (keys) => {
        const names = keys.split('\n').filter((name) => name.length > 0);
        if (names.length > 0) {
          await redisCli(['-p', String(port()), 'DEL', ...names]);
        }
      });
      return { open: () => openRedisStore(spec(), { indexDirectory: temp.path }), cleanup: async () => temp.cleanup() };
    },
    { durable: true },
  );
});

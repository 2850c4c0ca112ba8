import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SessionStore } from '../../src/core/store';
import { openRedisStore } from '../../src/stores/redis/openRedisStore';
import { TEST_PASSWORD, withPassword } from '../helpers/redisFailureChecks';
import { RedisSentinelSet, startRedisSentinel } from '../helpers/redisSentinel';
import { makeTempDir } from '../helpers/tempDir';
import { freshPrefix } from './redisFixtures';

// Sentinel: the master is SIGKILLed while a writer appends; the sentinels promote the replica, the
// store follows, and every append it acknowledged — before, during and after the failover — is
// there exactly once, in one order. While the master has a replica, a write waits for it (WAIT 1)
// before it is acknowledged, so the promoted replica has it.

const WRITES = 120;
const DEADLINE_MS = 60_000;

describe('Redis store through Sentinel, across a failover', { timeout: 120_000 }, () => {
  let deployment: RedisSentinelSet;
  let store: SessionStore;
  const temp = makeTempDir();

  before(async () => {
    deployment = await startRedisSentinel({ password: TEST_PASSWORD });
    const sentinels = deployment.sentinels.map((sentinel) => `127.0.0.1:${sentinel.port}`).join(',');
    const spec = `redis-sentinel://:${withPassword()}@${sentinels}?master=${deployment.masterName}&prefix=${freshPrefix()}`;
    store = await openRedisStore(spec, { indexDirectory: temp.path });
  });

  after(async () => {
    await store?.close();
    await deployment?.stop();
    temp.cleanup();
  });

  it('keeps every acknowledged append, none doubled, when the master dies mid-stream', async () => {
    const session = await store.create({ title: 'Across a failover' });
    const acknowledged: string[] = [];
    let failures = 0;
    const started = Date.now();
    let failover: Promise<number> | undefined;
    for (let index = 0; index < WRITES && Date.now() - started < DEADLINE_MS; ) {
      if (index === WRITES / 3) {
        failover ??= deployment.killMasterAndWaitForFailover();
      }
      const id = `m${String(index).padStart(4, '0')}`;
      try {
        await store.appendMessages(session.id, [{ id, role: 'user', content: `message ${index}` }]);
        acknowledged.push(id);
        index++;
      } catch {
        failures++; // the same id again: the append is idempotent, so a retry can never double it
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
    const newMaster = await failover;
    assert.notEqual(newMaster, deployment.nodes[0].port, 'the replica was promoted');
    assert.equal(acknowledged.length, WRITES, `all ${WRITES} appends acknowledged within ${DEADLINE_MS / 1000} s (${failures} attempts failed on the way)`);
    const ids = (await store.get(session.id))?.messages.map((message) => message.id) ?? [];
    assert.equal(new Set(ids).size, ids.length, 'no message doubled');
    assert.deepEqual(ids, acknowledged, 'every acknowledged message, in order');
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { RedisConnection, connectRedis } from '../src/stores/redis/redisConnection';
import { parseRedisSpec } from '../src/stores/redis/redisSpec';
import { TEST_PASSWORD, assertPlainFailure, connectFailure, withPassword } from './helpers/redisFailureChecks';
import { RedisSentinelSet, startRedisSentinel } from './helpers/redisSentinel';
import { freeLoopbackPort, redisCli } from './helpers/redisServers';

/**
 * redis-sentinel:// to the tests' own deployment (a master, a replica, three sentinels, all asking for a
 * password): the connection finds the master through the sentinels, says plainly when no sentinel knows
 * the master or none answers, and follows a failover after the master is SIGKILLed.
 */
describe('Redis connection through Sentinel', { timeout: 90_000 }, () => {
  let deployment: RedisSentinelSet;
  const connections: RedisConnection[] = [];
  const sentinelUrl = (master: string): string =>
    `redis-sentinel://:${withPassword()}@${deployment.sentinels.map((sentinel) => `127.0.0.1:${sentinel.port}`).join(',')}?master=${master}`;

  before(async () => {
    deployment = await startRedisSentinel({ password: TEST_PASSWORD });
  });

  after(async () => {
    await Promise.all(connections.map((connection) => connection.close()));
    await deployment?.stop();
  });

  it('finds the master through the sentinels, and subscribes there too', async () => {
    const connection = await connectRedis(parseRedisSpec(sentinelUrl(deployment.masterName), {}));
    connections.push(connection);
    assert.ok(connection.client instanceof Redis);
    await connection.client.set('multichat:through-sentinel', 'yes');
    const reply = await redisCli(['-p', String(await deployment.masterPort()), '-a', TEST_PASSWORD, '--no-auth-warning', 'GET', 'multichat:through-sentinel'], 3_000);
    assert.equal(reply.trim(), 'yes', 'written on the master the sentinels name');
    const subscriber = await connection.subscriber();
    assert.equal(await subscriber.ssubscribe('multichat:changes'), 1);
  });

  it('says no sentinel knows the master when ?master= names another', async () => {
    const { error, ms } = await connectFailure(sentinelUrl('no-such-master'));
    assertPlainFailure(error, /could not connect to Redis: no sentinel at .* knows a master named "no-such-master": check \?master=/);
    assert.ok(ms < 3_000, `${ms} ms`);
  });

  it('says nothing is listening when no sentinel answers', async () => {
    const port = await freeLoopbackPort();
    const { error, ms } = await connectFailure(`redis-sentinel://:${withPassword()}@127.0.0.1:${port}?master=${deployment.masterName}`);
    assertPlainFailure(error, new RegExp(`nothing is listening at 127\\.0\\.0\\.1:${port} \\(ECONNREFUSED\\)`));
    assert.ok(ms < 3_000, `${ms} ms`);
  });

  it('follows a failover: after the master is SIGKILLed, a write succeeds through the new master within 15 s', async () => {
    const connection = await connectRedis(parseRedisSpec(sentinelUrl(deployment.masterName), {}));
    connections.push(connection);
    await connection.client.set('multichat:before-failover', 'kept');
    assert.equal(await connection.client.wait(1, 2_000), 1, 'the replica has it');
    const oldMaster = await deployment.masterPort();
    await deployment.nodes.find((node) => node.port === oldMaster)!.kill();
    const killed = Date.now();
    let written = false;
    const failures: string[] = [];
    while (!written && Date.now() - killed < 15_000) {
      written = await connection.client.set('multichat:after-failover', 'yes').then(
        () => true,
        (error: unknown) => {
          failures.push(connection.failure(error, 'write').message);
          return false;
        },
      );
    }
    const gapMs = Date.now() - killed;
    assert.ok(written, `no write within 15 s: ${failures.join(' | ')}`);
    const newMaster = await deployment.masterPort();
    assert.notEqual(newMaster, oldMaster);
    assert.equal(await connection.client.get('multichat:before-failover'), 'kept');
    const onNewMaster = await redisCli(['-p', String(newMaster), '-a', TEST_PASSWORD, '--no-auth-warning', 'GET', 'multichat:after-failover'], 3_000);
    assert.equal(onNewMaster.trim(), 'yes');
    process.stdout.write(`# failover write gap: ${gapMs} ms\n`);
  });
});

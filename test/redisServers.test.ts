import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Cluster, Redis } from 'ioredis';
import { BOUNDED_TEST_CLUSTER, RedisCluster, startRedisCluster } from './helpers/redisCluster';
import { BOUNDED_TEST_CLIENT, RedisServer, startRedis } from './helpers/redisServers';

/**
 * The tests' own Redis servers (the ground the Redis store's tests stand on): a standalone server with a
 * password and AOF that keeps what it acknowledged across a SIGKILL, and a 3-master cluster that spreads
 * keys over its masters. Each runs on a free loopback port of its own, never the machine's 6379.
 */
const PASSWORD = 'p@ss/w:rd'; // the characters a URL would have to encode

describe('test redis-server: standalone, with a password and AOF', { timeout: 60_000 }, () => {
  let server: RedisServer;
  let client: Redis;

  before(async () => {
    server = await startRedis({ password: PASSWORD });
    client = new Redis({ ...BOUNDED_TEST_CLIENT, host: '127.0.0.1', port: server.port, password: PASSWORD });
    client.on('error', () => undefined); // the restart below drops the connection; ioredis reconnects
    await client.connect();
  });

  after(async () => {
    client?.disconnect();
    await server?.stop();
  });

  it('runs on a port of its own and asks for the password', async () => {
    assert.notEqual(server.port, 6379);
    const stranger = new Redis({ ...BOUNDED_TEST_CLIENT, host: '127.0.0.1', port: server.port, maxRetriesPerRequest: 0, retryStrategy: () => null });
    // ioredis rejects with "Connection is closed."; the real cause arrives on its error event.
    const causes: string[] = [];
    stranger.on('error', (error: Error) => causes.push(error.message));
    await stranger.connect().then(() => stranger.get('anything')).catch(() => undefined);
    stranger.disconnect();
    assert.ok(causes.some((cause) => /NOAUTH/.test(cause)), `no NOAUTH among: ${causes.join(' | ')}`);
  });

  it('keeps every acknowledged write across a SIGKILL and a restart', async () => {
    for (let index = 0; index < 100; index++) {
      await client.rpush('acknowledged', String(index));
    }
    const pid = server.pid;
    await server.restart();
    assert.notEqual(server.pid, pid, 'a new process');
    const kept = await client.lrange('acknowledged', 0, -1);
    assert.deepEqual(kept, Array.from({ length: 100 }, (_, index) => String(index)));
  });
});

describe('test redis-server: a 3-master cluster', { timeout: 60_000 }, () => {
  let cluster: RedisCluster;
  let client: Cluster;

  before(async () => {
    cluster = await startRedisCluster(3);
    client = new Cluster([{ host: '127.0.0.1', port: cluster.nodes[0].port }], BOUNDED_TEST_CLUSTER);
    client.on('error', () => undefined);
    await client.connect();
  });

  after(async () => {
    client?.disconnect();
    await cluster?.stop();
  });

  it('spreads keys over its masters, and keeps one hash tag in one slot', async () => {
    for (let index = 0; index < 60; index++) {
      await client.set(`spread:${index}`, 'x');
    }
    const sizes = await Promise.all(
      cluster.nodes.map(async (node) => {
        const direct = new Redis({ ...BOUNDED_TEST_CLIENT, host: '127.0.0.1', port: node.port });
        try {
          return await direct.dbsize();
        } finally {
          direct.disconnect();
        }
      }),
    );
    assert.equal(sizes.reduce((sum, size) => sum + size, 0), 60);
    assert.ok(sizes.filter((size) => size > 0).length >= 2, `keys all on one master: ${sizes.join(', ')}`);
    const slots = await Promise.all(['{s:abc}:meta', '{s:abc}:messages'].map((key) => client.cluster('KEYSLOT', key)));
    assert.equal(slots[0], slots[1]);
  });
});

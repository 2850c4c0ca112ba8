import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Cluster } from 'ioredis';
import { COMMAND_TIMEOUT_MS } from '../src/stores/redis/redisClientOptions';
import { RedisConnection, connectRedis } from '../src/stores/redis/redisConnection';
import { parseRedisSpec } from '../src/stores/redis/redisSpec';
import { AclUser, addStoreUser } from './helpers/redisAcl';
import { RedisCluster, startRedisCluster } from './helpers/redisCluster';
import { TEST_PASSWORD, assertPlainFailure, connectFailure, withPassword } from './helpers/redisFailureChecks';
import { freeLoopbackPort, redisCli } from './helpers/redisServers';

/**
 * redis-cluster:// to the tests' own 3-master cluster: it connects through any node, works for a
 * least-privilege ACL user (sharded pub/sub included), rides out a node's restart, and says plainly when
 * no node can be used.
 */
const STORE_USER: AclUser = { user: 'chats', password: 'cl/u$er@Zq7', prefix: 'team' };

describe('Redis connection: a 3-master cluster', { timeout: 60_000 }, () => {
  let cluster: RedisCluster;
  const connections: RedisConnection[] = [];
  const open = async (auth: string, query = ''): Promise<RedisConnection> => {
    const hosts = cluster.nodes.slice(0, 2).map((node) => `127.0.0.1:${node.port}`).join(',');
    const connection = await connectRedis(parseRedisSpec(`redis-cluster://${auth}${hosts}${query}`, {}));
    connections.push(connection);
    return connection;
  };

  before(async () => {
    cluster = await startRedisCluster(3, { password: TEST_PASSWORD });
    await addStoreUser(cluster.nodes, STORE_USER);
  });

  after(async () => {
    await Promise.all(connections.map((connection) => connection.close()));
    await cluster?.stop();
  });

  it('connects through the nodes it is given and reaches every master', async () => {
    const connection = await open(`:${withPassword()}@`);
    assert.ok(connection.client instanceof Cluster);
    for (let index = 0; index < 30; index++) {
      await connection.client.set(`multichat:{s:${index}}:meta`, String(index));
    }
    assert.equal(connection.client.nodes('master').length, 3);
    assert.equal(await connection.client.get('multichat:{s:29}:meta'), '29');
  });

  it('works for an ACL user limited to <prefix>:* on every node, sharded SSUBSCRIBE included', async () => {
    const connection = await open(`${STORE_USER.user}:${withPassword(STORE_USER.password)}@`, `?prefix=${STORE_USER.prefix}`);
    const channels = ['team:{s:a}:changes', 'team:{s:b}:changes', 'team:{s:c}:changes'];
    const slots = await Promise.all(channels.map((channel) => connection.client.cluster('KEYSLOT', channel)));
    assert.equal(new Set(slots).size, 3, 'three channels in three slots');
    const subscriber = await connection.subscriber();
    const heard: string[] = [];
    subscriber.on('smessage', (channel: string) => heard.push(channel));
    for (const channel of channels) {
      await subscriber.ssubscribe(channel);
    }
    for (const channel of channels) {
      await connection.client.spublish(channel, 'ding');
    }
    const deadline = Date.now() + 5_000;
    while (heard.length < channels.length && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    assert.deepEqual([...heard].sort(), [...channels].sort());
    await connection.client.set('team:{s:a}:meta', 'x');
    const refused = await connection.client.set('other:{s:a}:meta', 'x').then(() => undefined, (error: unknown) => error);
    assertPlainFailure(connection.failure(refused, 'write a key'), /does not allow the user "chats" to do this .*NOPERM/, STORE_USER.password);
  });

  it('rides out the restart of the master that holds a key: a write issued meanwhile succeeds once it is back', async () => {
    const connection = await open(`:${withPassword()}@`);
    const key = 'multichat:{s:restart}:meta';
    const slot = Number(await connection.client.cluster('KEYSLOT', key));
    const owner = await ownerOf(connection.client as Cluster, slot, cluster);
    await owner.kill();
    const write = connection.client.set(key, 'after');
    const written = write.then(() => Date.now());
    await new Promise((resolve) => setTimeout(resolve, 500));
    const restarted = Date.now();
    await owner.restart();
    assert.equal(await write, 'OK');
    assert.ok((await written) - restarted < 8_000, 'written soon after the restart');
    assert.equal(await connection.client.get(key), 'after');
  });

  it('says the cluster is down (CLUSTERDOWN, or the lost master refuses) once a master is gone for good, within the command timeout', async () => {
    const connection = await open(`:${withPassword()}@`);
    const lost = cluster.nodes[2];
    await lost.kill();
    await waitForClusterFail(cluster.nodes[0].port);
    // A key on a master that is still up: it answers, and its answer is CLUSTERDOWN.
    let key = '';
    for (let index = 0; key === ''; index++) {
      const candidate = `multichat:{s:${index}}:meta`;
      if ((await ownerOf(connection.client as Cluster, Number(await connection.client.cluster('KEYSLOT', candidate)), cluster)) !== lost) {
        key = candidate;
      }
    }
    const started = Date.now();
    const refused = await connection.client.set(key, 'x').then(() => undefined, (error: unknown) => error);
    assert.ok(Date.now() - started < COMMAND_TIMEOUT_MS + 1_500, `${Date.now() - started} ms`);
    // Which it says depends on what the last retry met: the down cluster, or the lost master's closed port.
    assertPlainFailure(
      connection.failure(refused, 'write'),
      new RegExp(`could not write: .*(is down \\(CLUSTERDOWN The cluster is down\\)|nothing is listening at 127\\.0\\.0\\.1:${lost.port} \\(ECONNREFUSED\\))`),
    );
    const fresh = await connectFailure(`redis-cluster://:${withPassword()}@127.0.0.1:${cluster.nodes[0].port}`);
    assertPlainFailure(fresh.error, new RegExp(`could not connect to Redis: the cluster node at 127\\.0\\.0\\.1:${cluster.nodes[0].port} is down \\(CLUSTERDOWN cluster_state:fail\\)`));
    assert.ok(fresh.ms < 3_000, `${fresh.ms} ms`);
    await lost.restart();
  });

  it('says so when no node answers, naming the refused address, in well under 10 s', async () => {
    const ports = [await freeLoopbackPort(), await freeLoopbackPort()];
    const { error, ms } = await connectFailure(`redis-cluster://:${withPassword()}@127.0.0.1:${ports[0]},127.0.0.1:${ports[1]}`);
    assertPlainFailure(error, new RegExp(`could not connect to Redis: nothing is listening at 127\\.0\\.0\\.1:(${ports.join('|')}) \\(ECONNREFUSED\\)`));
    assert.ok(ms < 3_000, `${ms} ms`);
  });

  it('says the cluster refused the password (WRONGPASS), naming the node it asked', async () => {
    const { error } = await connectFailure(`redis-cluster://:${withPassword('nope-Zq7')}@127.0.0.1:${cluster.nodes[0].port}`);
    assertPlainFailure(error, new RegExp(`(the cluster node|the Redis cluster) at 127\\.0\\.0\\.1:${cluster.nodes[0].port} refused the password \\(WRONGPASS\\)`), 'nope-Zq7');
  });
});

async function waitForClusterFail(port: number): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const info = await redisCli(['-p', String(port), '-a', TEST_PASSWORD, '--no-auth-warning', 'CLUSTER', 'INFO'], 2_000).catch(() => '');
    if (/cluster_state:fail/.test(info)) {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the cluster on port ${port} did not notice the lost master within 20 s`);
}

async function ownerOf(client: Cluster, slot: number, cluster: RedisCluster): Promise<RedisCluster['nodes'][number]> {
  const ranges = await client.cluster('SLOTS');
  const [, , master] = ranges.find(([first, last]) => slot >= first && slot <= last)!;
  return cluster.nodes.find((node) => node.port === Number(master[1]))!;
}

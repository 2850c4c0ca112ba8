import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { MultichatError } from '../src/core/errors';
import { RedisConnection, connectRedis } from '../src/stores/redis/redisConnection';
import { REDIS_PASSWORD_ENV, parseRedisSpec } from '../src/stores/redis/redisSpec';
import { AclUser, addStoreUser } from './helpers/redisAcl';
import { TEST_PASSWORD, assertPlainFailure, connectFailure, rejection, withPassword } from './helpers/redisFailureChecks';
import { startRecordingProxy } from './helpers/recordingProxy';
import { RedisServer, freeLoopbackPort, redisCli, startRedis } from './helpers/redisServers';

/**
 * The Redis store's connection to a standalone server it is given by URL: it connects, works for a
 * least-privilege ACL user, and when it cannot connect says why in one sentence, within seconds, and
 * without ever showing the password.
 */
const STORE_USER: AclUser = { user: 'chats', password: 'u$er/p@ss:Zq7', prefix: 'team' };

describe('Redis connection: a standalone server', { timeout: 60_000 }, () => {
  let server: RedisServer;
  const connections: RedisConnection[] = [];
  const open = async (spec: string, env: NodeJS.ProcessEnv = {}): Promise<RedisConnection> => {
    const connection = await connectRedis(parseRedisSpec(spec, env));
    connections.push(connection);
    return connection;
  };
  const url = (auth: string, query = ''): string => `redis://${auth}127.0.0.1:${server.port}${query}`;

  before(async () => {
    server = await startRedis({ password: TEST_PASSWORD, aof: false });
    await addStoreUser([server], STORE_USER);
  });

  after(async () => {
    await Promise.all(connections.map((connection) => connection.close()));
    await server?.stop();
  });

  it('connects with a URL-encoded password, and with the password from the environment', async () => {
    const fromUrl = await open(url(`:${withPassword()}@`, '/3'));
    await fromUrl.client.set('k', 'v');
    assert.equal(await fromUrl.client.get('k'), 'v');
    const fromEnv = await open(url(''), { [REDIS_PASSWORD_ENV]: TEST_PASSWORD });
    assert.equal(await fromEnv.client.get('k'), null, 'database 0, not the 3 the first connection wrote to');
  });

  it('works for an ACL user limited to <prefix>:* keys and channels without @dangerous commands, SSUBSCRIBE included', async () => {
    const connection = await open(url(`${STORE_USER.user}:${withPassword(STORE_USER.password)}@`, `?prefix=${STORE_USER.prefix}`));
    await connection.client.set('team:x', '1');
    assert.equal(await connection.client.incr('team:x'), 2);
    const refused = await rejection(() => connection.client.set('other:x', '1'));
    assertPlainFailure(connection.failure(refused, 'write other:x'), /could not write other:x: .*does not allow the user "chats".*NOPERM/, STORE_USER.password);
    const subscriber = await connection.subscriber();
    const heard = new Promise<string>((resolve) => subscriber.on('smessage', (_channel: string, message: string) => resolve(message)));
    await subscriber.ssubscribe('team:changes');
    await connection.client.spublish('team:changes', 'ding');
    assert.equal(await withinSeconds(heard, 5), 'ding');
    assert.equal(await connection.subscriber(), subscriber, 'one subscriber connection, made once');
    await assert.rejects(subscriber.ssubscribe('other:changes'), /NOPERM/);
  });

  it('sends on connect only what a least-privilege user may run: HELLO, no INFO ready check, no CLIENT SETINFO', async () => {
    const cli = (...args: string[]): Promise<string> => redisCli(['-p', String(server.port), '-a', TEST_PASSWORD, '--no-auth-warning', ...args], 5_000);
    await cli('ACL', 'LOG', 'RESET');
    const proxy = await startRecordingProxy(server.port);
    try {
      const connection = await connectRedis(parseRedisSpec(`redis://${STORE_USER.user}:${withPassword(STORE_USER.password)}@127.0.0.1:${proxy.port}/2`, {}));
      await connection.client.ping();
      await connection.close();
      assert.deepEqual(proxy.commands(), ['hello', 'select', 'ping', 'quit']);
    } finally {
      await proxy.close();
    }
    assert.equal((await cli('ACL', 'LOG')).trim(), '', 'nothing was denied to the store user');
  });

  it('closes its subscriber connection too', async () => {
    const connection = await connectRedis(parseRedisSpec(url(`:${withPassword()}@`), {}));
    const subscriber = await connection.subscriber();
    await connection.close();
    assert.deepEqual([connection.client.status, subscriber.status], ['end', 'end']);
    await assert.rejects(connection.subscriber(), /is closed/);
  });

  it('says the server is out of memory (OOM) when maxmemory refuses a write, and reads still work', async () => {
    const connection = await open(url(`:${withPassword()}@`));
    await connection.client.set('multichat:small', 'kept');
    await redisCli(['-p', String(server.port), '-a', TEST_PASSWORD, '--no-auth-warning', 'CONFIG', 'SET', 'maxmemory', '1'], 5_000);
    try {
      const refused = await rejection(() => connection.client.set('multichat:big', 'x'.repeat(100_000)));
      assertPlainFailure(connection.failure(refused, 'append to session s1'), new RegExp(`could not append to session s1: Redis at 127\\.0\\.0\\.1:${server.port} is out of memory \\(OOM`));
      assert.equal(await connection.client.get('multichat:small'), 'kept');
    } finally {
      await redisCli(['-p', String(server.port), '-a', TEST_PASSWORD, '--no-auth-warning', 'CONFIG', 'SET', 'maxmemory', '0'], 5_000);
    }
  });

  it('says a replica is read-only (READONLY) at once, instead of retrying', async () => {
    const replica = await startRedis({ password: TEST_PASSWORD, aof: false, args: ['--replicaof', '127.0.0.1', String(server.port), '--masterauth', TEST_PASSWORD] });
    try {
      const connection = await open(`redis://:${withPassword()}@127.0.0.1:${replica.port}`);
      const started = Date.now();
      const refused = await rejection(() => connection.client.set('multichat:k', 'v'));
      assert.ok(Date.now() - started < 1_000, `${Date.now() - started} ms`);
      assertPlainFailure(connection.failure(refused, 'write'), /is a read-only replica \(READONLY\): point the store at the master, or use redis-sentinel:\/\//);
    } finally {
      await replica.stop();
    }
  });

  it('passes its own MultichatErrors through failure() unchanged', async () => {
    const connection = await open(url(`:${withPassword()}@`));
    const own = new MultichatError('not-found', 'no such session: s1');
    assert.equal(connection.failure(own, 'read'), own);
  });

  it('says nothing listens when the port is closed (ECONNREFUSED), in well under 10 s', async () => {
    const port = await freeLoopbackPort();
    const { error, ms } = await connectFailure(`redis://:${withPassword()}@127.0.0.1:${port}`);
    assertPlainFailure(error, new RegExp(`could not connect to Redis: nothing is listening at 127\\.0\\.0\\.1:${port} \\(ECONNREFUSED\\)`));
    assert.ok(ms < 3_000, `${ms} ms`);
  });

  it('says the host name was not found (ENOTFOUND)', async () => {
    const { error, ms } = await connectFailure(`redis://:${withPassword()}@no-such-host.invalid:6390`);
    assertPlainFailure(error, /the host name "no-such-host\.invalid" was not found \((ENOTFOUND|EAI_AGAIN)\)/);
    assert.ok(ms < 11_000, `${ms} ms`);
  });

  it('says the password was refused (WRONGPASS), for a wrong password and for an unknown user', async () => {
    const wrong = await connectFailure(url(`:${withPassword(`${TEST_PASSWORD}-not`)}@`));
    assertPlainFailure(wrong.error, new RegExp(`Redis at 127\\.0\\.0\\.1:${server.port} refused the password \\(WRONGPASS\\)`), `${TEST_PASSWORD}-not`);
    assert.ok(wrong.ms < 3_000, `${wrong.ms} ms`);
    const stranger = await connectFailure(url(`nobody:${withPassword()}@`));
    assertPlainFailure(stranger.error, /refused the user "nobody" or its password \(WRONGPASS\)/);
  });

  it('says where to put the password when none was given (NOAUTH)', async () => {
    const { error, ms } = await connectFailure(url(''));
    assertPlainFailure(error, new RegExp(`needs a password: put it in the store URL .* or in ${REDIS_PASSWORD_ENV} \\(NOAUTH\\)`));
    assert.ok(ms < 3_000, `${ms} ms`);
  });

  it('honours connectTimeout: a server that accepts but never answers fails after it, not after 10 s', async () => {
    server.freeze();
    try {
      const { error, ms } = await connectFailure(url(`:${withPassword()}@`, '?connectTimeout=500'));
      assertPlainFailure(error, new RegExp(`Redis at 127\\.0\\.0\\.1:${server.port} (was not ready within 0.5 s|did not answer within)`));
      assert.ok(ms >= 450 && ms < 3_000, `${ms} ms`);
    } finally {
      server.thaw();
    }
  });
});

async function withinSeconds<T>(promise: Promise<T>, seconds: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`nothing within ${seconds} s`)), seconds * 1000)));
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

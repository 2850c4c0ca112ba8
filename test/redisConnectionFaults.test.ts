import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { COMMAND_TIMEOUT_MS } from '../src/stores/redis/redisClientOptions';
import { RedisConnection, connectRedis } from '../src/stores/redis/redisConnection';
import { parseRedisSpec } from '../src/stores/redis/redisSpec';
import { TEST_PASSWORD, assertPlainFailure, rejection, withPassword } from './helpers/redisFailureChecks';
import { BOUNDED_TEST_CLIENT, RedisServer, redisCli, startRedis } from './helpers/redisServers';

/**
 * What a connected store sees when its redis-server goes away: a restart is waited out (commands issued
 * meanwhile succeed once it is back, none is lost), a server that is gone or frozen fails every command
 * within COMMAND_TIMEOUT_MS with the reason, and the connection recovers when the server returns.
 */
describe('Redis connection: the server restarts, dies or freezes', { timeout: 90_000 }, () => {
  const servers: RedisServer[] = [];
  const connections: RedisConnection[] = [];
  const server = async (args: string[] = []): Promise<RedisServer> => {
    const started = await startRedis({ password: TEST_PASSWORD, args });
    servers.push(started);
    return started;
  };
  const open = async (target: RedisServer): Promise<RedisConnection> => {
    const connection = await connectRedis(parseRedisSpec(`redis://:${withPassword()}@127.0.0.1:${target.port}`, {}));
    connections.push(connection);
    return connection;
  };

  after(async () => {
    await Promise.all(connections.map((connection) => connection.close()));
    await Promise.all(servers.map((each) => each.stop()));
  });

  it('waits out a SIGKILL and restart mid-stream: every write succeeds, none is lost', async () => {
    const target = await server();
    const connection = await open(target);
    const writes: Promise<number>[] = [];
    for (let index = 0; index < 300; index++) {
      writes.push(connection.client.sadd('multichat:stream', String(index)));
      if (index === 100) {
        await target.kill();
      }
      if (index === 200) {
        await new Promise((resolve) => setTimeout(resolve, 300));
        await target.restart();
      }
    }
    const settled = await Promise.allSettled(writes);
    assert.deepEqual(settled.filter((each) => each.status === 'rejected'), []);
    assert.equal(await connection.client.scard('multichat:stream'), 300);
  });

  it('never hangs: against a dead server and a frozen one, a command fails after 10 s saying why, and works again once the server is back', async () => {
    const [dead, frozen] = await Promise.all([server(), server()]);
    const [toDead, toFrozen] = await Promise.all([open(dead), open(frozen)]);
    await dead.kill();
    frozen.freeze();
    const timed = async (connection: RedisConnection): Promise<{ error: unknown; ms: number }> => {
      const started = Date.now();
      const error = await rejection(() => connection.client.set('multichat:k', 'v'));
      return { error: connection.failure(error, 'write multichat:k'), ms: Date.now() - started };
    };
    const [fromDead, fromFrozen] = await Promise.all([timed(toDead), timed(toFrozen)]);
    const port = (target: RedisServer): string => `127\\.0\\.0\\.1:${target.port}`;
    assertPlainFailure(fromDead.error, new RegExp(`could not write multichat:k: Redis at ${port(dead)} has not answered for 10 s: nothing is listening at ${port(dead)} \\(ECONNREFUSED\\)`));
    assertPlainFailure(fromFrozen.error, new RegExp(`could not write multichat:k: Redis at ${port(frozen)} has not answered for 10 s`));
    for (const { ms } of [fromDead, fromFrozen]) {
      assert.ok(ms >= COMMAND_TIMEOUT_MS - 200 && ms < COMMAND_TIMEOUT_MS + 2_000, `${ms} ms`);
    }
    await dead.restart();
    frozen.thaw();
    assert.deepEqual(await Promise.all([toDead.client.set('multichat:k', 'again'), toFrozen.client.set('multichat:k', 'again')]), ['OK', 'OK']);
  });

  it('waits while a restarted server is still loading its data (LOADING), then succeeds', async () => {
    // key-load-delay: microseconds per key while loading, so 10,000 keys take a second or two.
    const target = await server(['--key-load-delay', '150']);
    const filler = new Redis({ ...BOUNDED_TEST_CLIENT, host: '127.0.0.1', port: target.port, password: TEST_PASSWORD });
    try {
      await filler.connect();
      const pipeline = filler.pipeline();
      for (let index = 0; index < 10_000; index++) {
        pipeline.set(`multichat:filler:${index}`, 'x');
      }
      await pipeline.exec();
    } finally {
      filler.disconnect();
    }
    const connection = await open(target);
    await target.kill();
    const write = connection.client.set('multichat:after-loading', 'yes');
    const restarting = target.restart();
    let sawLoading = false;
    while (!sawLoading && !(await Promise.race([restarting.then(() => true), new Promise((resolve) => setTimeout(() => resolve(false), 50))]))) {
      const reply = await redisCli(['-p', String(target.port), '-a', TEST_PASSWORD, '--no-auth-warning', 'PING'], 2_000).catch(() => '');
      sawLoading ||= reply.startsWith('LOADING');
    }
    assert.ok(sawLoading, 'the server was loading while the write waited');
    assert.equal(await write, 'OK');
    await restarting;
    assert.equal(await connection.client.get('multichat:after-loading'), 'yes');
    assert.equal(await connection.client.exists('multichat:filler:9999'), 1);
  });

  it('closes at once when the server is gone, rejecting what was still queued', async () => {
    const target = await server();
    const connection = await connectRedis(parseRedisSpec(`redis://:${withPassword()}@127.0.0.1:${target.port}`, {}));
    await target.kill();
    const queued = connection.client.set('multichat:k', 'never').then(() => 'written', (error: unknown) => connection.failure(error, 'write'));
    const started = Date.now();
    await connection.close();
    assert.ok(Date.now() - started < 500, `${Date.now() - started} ms`);
    const outcome = await queued;
    assert.ok(Date.now() - started < 500, 'the queued command was rejected, not left to time out');
    assertPlainFailure(outcome, /could not write: /);
  });
});

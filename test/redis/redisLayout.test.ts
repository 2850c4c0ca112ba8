import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { openRedisStore } from '../../src/stores/redis/openRedisStore';
import { RedisCluster } from '../helpers/redisCluster';
import { RedisServer } from '../helpers/redisServers';
import { aMessage, aSession } from '../helpers/builders';
import { makeTempDir } from '../helpers/tempDir';
import { freshPrefix, redisTestBed } from './redisFixtures';
import { keySlot } from './keySlot';

// How the store uses Redis, watched from the server side: every key and channel under the
// namespace, every script's keys in one slot, no KEYS or SCAN, one round trip per append; and on a
// cluster, sessions spread over every master. (verify, not normal operation, may SCAN the
// namespace for keys the index does not know.)

interface Command {
  name: string;
  args: string[];
}

describe('Redis key layout', { timeout: 90_000 }, () => {
  const standalone = redisTestBed('standalone');
  const cluster = redisTestBed('cluster');
  const temp = makeTempDir();

  it('keeps every command in the namespace and in one slot, with one command per append', async () => {
    const prefix = freshPrefix();
    const commands = await watchCommands((standalone.server() as RedisServer).port, async () => {
      const store = await openRedisStore(standalone.spec(prefix), { indexDirectory: `${temp.path}/a` });
      const other = await openRedisStore(standalone.spec(prefix), { indexDirectory: `${temp.path}/b` });
      other.onDidChange(() => undefined);
      const session = await store.create(aSession({ messages: [aMessage()] }));
      await store.appendMessages(session.id, [aMessage()]);
      const [reply] = await store.appendMessages(session.id, [aMessage({ role: 'assistant', incomplete: true })]);
      await store.updateMessage(session.id, reply.id, { content: 'done', incomplete: false });
      await store.update(session.id, { addTags: ['x'], pinned: true });
      await store.list();
      await store.list({ limit: 5 });
      await store.search('message');
      await store.get(session.id);
      await store.delete(session.id);
      await new Promise((resolve) => setTimeout(resolve, 200));
      await store.close();
      await other.close();
    });
    assert.ok(commands.length > 20, `saw ${commands.length} commands`);
    assert.deepEqual(commands.filter((command) => ['keys', 'scan', 'flushdb', 'flushall'].includes(command.name)), []);
    for (const command of commands) {
      const keys = keysOf(command);
      for (const key of keys) {
        assert.ok(key.startsWith(`${prefix}:`), `${command.name} touches ${key}, outside the namespace`);
      }
      assert.ok(new Set(keys.map(keySlot)).size <= 1, `${command.name} ${keys.join(' ')} spans slots`);
    }
    const appends = commands.filter((command) => command.name.startsWith('eval') && command.args.some((arg) => arg.includes('"role"')));
    assert.ok(appends.length >= 3, 'appends are scripts');
  });

  it('answers for an empty namespace as an empty store, and reading it writes nothing', async () => {
    const prefix = freshPrefix();
    const store = await openRedisStore(standalone.spec(prefix), { indexDirectory: `${temp.path}/empty` });
    try {
      store.onDidChange(() => undefined);
      assert.deepEqual(await store.list(), []);
      assert.deepEqual(await store.list({ limit: 10 }), []);
      assert.deepEqual(await store.search('anything'), []);
      assert.equal(await store.get('no-such-session'), undefined);
      assert.equal(await store.delete('no-such-session'), false);
      assert.deepEqual((await store.verify()).problems, []);
      const client = new Redis({ port: (standalone.server() as RedisServer).port, maxRetriesPerRequest: 1 });
      try {
        assert.deepEqual(await client.keys(`${prefix}:*`), [], 'no key was made');
      } finally {
        client.disconnect();
      }
    } finally {
      await store.close();
    }
  });

  it('spreads sessions over every master of a cluster', async () => {
    const store = await openRedisStore(cluster.spec(), { indexDirectory: `${temp.path}/c` });
    try {
      for (let index = 0; index < 40; index++) {
        await store.create(aSession({ messages: [aMessage()] }));
      }
      const sizes = await Promise.all(
        (cluster.server() as RedisCluster).nodes.map(async (node) => {
          const direct = new Redis({ port: node.port, lazyConnect: true, maxRetriesPerRequest: 1 });
          try {
            return await direct.dbsize();
          } finally {
            direct.disconnect();
          }
        }),
      );
      assert.ok(sizes.every((size) => size > 0), `keys per master: ${sizes.join(', ')}`);
    } finally {
      await store.close();
    }
  });
});

/** Every command the server ran while `work` ran, as MONITOR reports them. */
async function watchCommands(port: number, work: () => Promise<void>): Promise<Command[]> {
  const client = new Redis({ port, maxRetriesPerRequest: 1 });
  const monitor = await client.monitor();
  const commands: Command[] = [];
  monitor.on('monitor', (_time: string, args: string[]) => commands.push({ name: args[0].toLowerCase(), args: args.slice(1) }));
  try {
    await work();
  } finally {
    monitor.disconnect();
    client.disconnect();
  }
  return commands;
}

/** The keys (and sharded channels) a command names, for the commands the store sends. */
function keysOf(command: Command): string[] {
  const { name, args } = command;
  if (name === 'eval' || name === 'evalsha' || name === 'evalsha_ro' || name === 'eval_ro') {
    return args.slice(2, 2 + Number(args[1]));
  }
  if (['ssubscribe', 'sunsubscribe', 'spublish'].includes(name)) {
    return name === 'spublish' ? [args[0]] : args;
  }
  if (['hgetall', 'hlen', 'llen', 'xrevrange', 'xrange', 'hget', 'exists', 'type', 'zrange', 'zscore'].includes(name)) {
    return [args[0]];
  }
  return [];
}

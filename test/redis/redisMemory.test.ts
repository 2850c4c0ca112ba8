import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { isMultichatError } from '../../src/core/errors';
import { SessionStore } from '../../src/core/store';
import { openRedisStore } from '../../src/stores/redis/openRedisStore';
import { CliResult, cli } from '../helpers/cli';
import { RedisServer, redisCli, startRedis } from '../helpers/redisServers';
import { makeTempDir } from '../helpers/tempDir';
import { freshPrefix } from './redisFixtures';

// Redis out of memory. With maxmemory-policy noeviction (what the store needs) writes fail with a
// clear 'unavailable' error (exit 5), nothing acknowledged is lost, and every read keeps working.
// With an evicting policy keys vanish under the store: verify says so, and says to use noeviction.

const MAXMEMORY = ['--maxmemory', '2mb'];
const FILLER = 'x'.repeat(4_000);

/** Writes sessions of 1 KB-ish messages until `full` says stop or a write fails; returns what was acknowledged. */
async function fill(store: SessionStore, full: (written: number) => Promise<boolean>): Promise<{ acknowledged: Map<string, string[]>; failure?: unknown }> {
  const acknowledged = new Map<string, string[]>();
  for (let written = 0; written < 5_000; written++) {
    try {
      if (written % 10 === 0) {
        if (await full(written)) {
          return { acknowledged };
        }
        const { id } = await store.create({ title: `filler ${written}` });
        acknowledged.set(id, []);
      }
      const id = [...acknowledged.keys()].at(-1)!;
      const [message] = await store.appendMessages(id, [{ role: 'user', content: `${FILLER} ${written}` }]);
      acknowledged.get(id)!.push(message.id);
    } catch (failure) {
      return { acknowledged, failure };
    }
  }
  throw new Error('5,000 writes of 4 KB did not fill a 2 MB Redis');
}

/** `append --jsonl` of 200 KB: memory hovers at the limit (buffers come and go), so a write or two may still fit, 200 KB cannot. */
function appendTooMuch(id: string, spec: string, env: NodeJS.ProcessEnv): CliResult {
  const lines = Array.from({ length: 50 }, (_, index) => `${JSON.stringify({ role: 'user', content: `${FILLER} ${index}` })}\n`);
  return cli(['append', id, '--jsonl'], { store: spec, env, input: lines.join('') });
}

async function evictedKeys(server: RedisServer): Promise<number> {
  return Number(/evicted_keys:(\d+)/.exec(await redisCli(['-p', String(server.port), 'INFO', 'stats']))?.[1] ?? 0);
}

describe('Redis out of memory', { timeout: 60_000 }, () => {
  const cache = makeTempDir('multichat-cache-');
  const env = { XDG_CACHE_HOME: cache.path };
  /** Where in-process stores keep their search index. */
  const indexDirectory = (): string => makeTempDir('index-', cache.path).path;
  after(() => cache.cleanup());

  describe('with maxmemory-policy noeviction', () => {
    let server: RedisServer;
    let spec: string;
    let store: SessionStore;
    let filled: Awaited<ReturnType<typeof fill>>;
    before(async () => {
      server = await startRedis({ args: [...MAXMEMORY, '--maxmemory-policy', 'noeviction'] });
      spec = `redis://127.0.0.1:${server.port}?prefix=${freshPrefix()}`;
      store = await openRedisStore(spec, { indexDirectory: indexDirectory() });
      filled = await fill(store, async () => false);
    });
    after(async () => {
      await store?.close();
      await server?.stop();
    });

    it("refuses writes with 'unavailable' once full, and has every acknowledged message", async () => {
      assert.ok(isMultichatError(filled.failure, 'unavailable'), String(filled.failure));
      assert.match(String(filled.failure), /OOM|out of memory/);
      for (const [id, messages] of filled.acknowledged) {
        assert.deepEqual((await store.get(id))?.messages.map((message) => message.id), messages);
      }
    });

    it('keeps reading: list, first page, get, search and verify', async () => {
      const ids = [...filled.acknowledged.keys()];
      assert.equal((await store.list()).length, ids.length);
      assert.equal((await store.list({ limit: 3 })).length, 3);
      assert.equal((await store.search('filler')).length, ids.length);
      const report = await store.verify();
      assert.deepEqual([report.problems, report.warnings], [[], []]);
    });

    it('makes the CLI exit 5 on a write and 0 on every read', async () => {
      const [id] = filled.acknowledged.keys();
      const append = appendTooMuch(id, spec, env);
      assert.equal(append.code, 5);
      assert.match(append.stderr, new RegExp(`^multichat: could not append to session ${id}: .*(OOM|out of memory)`));
      const acknowledged = append.stdout.split('\n').filter(Boolean);
      const stored = (await store.get(id))?.messages.map((message) => message.id);
      assert.deepEqual(stored, [...filled.acknowledged.get(id)!, ...acknowledged], 'every acknowledged message, in order');
      for (const args of [['list'], ['list', '--limit', '2'], ['show', id], ['search', 'filler'], ['verify']]) {
        const read = cli(args, { store: spec, env });
        assert.equal(read.code, 0, `${args.join(' ')}: ${read.stderr}`);
      }
    });

    it('says plainly that Redis is out of memory', () => {
      const [id] = filled.acknowledged.keys();
      assert.match(appendTooMuch(id, spec, env).stderr, /is out of memory/);
    });
  });

  for (const policy of ['allkeys-lru', 'volatile-lru']) {
    it(`makes verify find what ${policy} evicted, and name noeviction`, async () => {
      const server = await startRedis({ args: [...MAXMEMORY, '--maxmemory-policy', policy] });
      // volatile-* evicts only keys with a TTL: the store gives a session's keys one when it has a ttl.
      const spec = `redis://127.0.0.1:${server.port}?prefix=${freshPrefix()}&ttl=86400`;
      const store = await openRedisStore(spec, { indexDirectory: indexDirectory() });
      try {
        let evictedAt: number | undefined;
        const { failure } = await fill(store, async (written) => {
          evictedAt ??= (await evictedKeys(server)) > 0 ? written : undefined;
          return evictedAt !== undefined && written >= evictedAt + 100;
        });
        assert.ok(failure === undefined || isMultichatError(failure, 'not-found'), `only sessions that vanished fail: ${String(failure)}`);
        assert.ok((await evictedKeys(server)) > 0);
        const verify = cli(['verify'], { store: spec, env });
        assert.equal(verify.code, 1, verify.stdout + verify.stderr);
        assert.match(verify.stdout, /maxmemory-policy noeviction/);
        assert.match(verify.stderr, new RegExp(`warning: .*maxmemory-policy ${policy}.*noeviction`));
        assert.match(verify.stderr, /warning: .*Redis has evicted \d+ key\(s\)/);
      } finally {
        await store.close();
        await server.stop();
      }
    });
  }
});

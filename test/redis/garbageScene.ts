import { randomBytes } from 'node:crypto';
import { SessionStore, StoreWarning } from '../../src/core/store';
import { openRedisStore } from '../../src/stores/redis/openRedisStore';
import { SessionKeys, bucketOf, quarantineKey, sessionKeys } from '../../src/stores/redis/redisKeys';
import { redisCli } from '../helpers/redisServers';
import { makeTempDir } from '../helpers/tempDir';
import { RedisTestBed, freshPrefix } from './redisFixtures';

// A namespace for garbage to land in: a victim session (three messages) that the garbage is
// written at, and bystanders in other buckets that must read as if nothing happened. Garbage is
// written with redis-cli, as a person (or another program) would.

/** The word every session's messages share, to search by. */
export const WORD = 'zebra';

export interface GarbageScene {
  spec: string;
  /** The server's port (a cluster's first node), for redis-cli. */
  port: string;
  store: SessionStore;
  /** Every warning the store reported, in order. */
  warnings: StoreWarning[];
  victim: { id: string; keys: SessionKeys };
  /** Sessions in buckets other than the victim's, one message each. */
  bystanders: string[];
  /** Runs redis-cli against the scene's server. */
  redis(...args: string[]): Promise<string>;
  /** Everything the victim's bucket holds in quarantine, as text. */
  quarantined(): Promise<string>;
  close(): Promise<void>;
}

function uniqueId(label: string): string {
  return `${label}${randomBytes(6).toString('hex')}`;
}

/** Ids of `count` sessions whose buckets differ from each other and from `avoid`. */
function idsInOtherBuckets(count: number, avoid: number): string[] {
  const taken = new Set([avoid]);
  const ids: string[] = [];
  while (ids.length < count) {
    const id = uniqueId(`b${ids.length}`);
    if (!taken.has(bucketOf(id))) {
      taken.add(bucketOf(id));
      ids.push(id);
    }
  }
  return ids;
}

export async function makeScene(bed: RedisTestBed): Promise<GarbageScene> {
  const prefix = freshPrefix();
  const spec = bed.spec(prefix);
  const server = bed.server();
  // On a cluster, redis-cli -c follows each key to the master that holds its slot.
  const port = String('nodes' in server ? server.nodes[0].port : server.port);
  const cluster = 'nodes' in server ? ['-c'] : [];
  const temp = makeTempDir('multichat-garbage-');
  const store = await openRedisStore(spec, { indexDirectory: temp.path });
  const warnings: StoreWarning[] = [];
  store.onDidWarn((warning) => warnings.push(warning));
  const victim = uniqueId('v');
  await store.create({
    id: victim,
    messages: [
      { id: 'm1', role: 'user', content: `first question about the ${WORD}` },
      { id: 'm2', role: 'assistant', content: 'an answer' },
      { id: 'm3', role: 'user', content: `the ${WORD} again` },
    ],
  });
  const bystanders = idsInOtherBuckets(5, bucketOf(victim));
  for (const id of bystanders) {
    await store.create({ id, title: `bystander ${id}`, messages: [{ id: 'only', role: 'user', content: `a ${WORD} for ${id}` }] });
  }
  const redis = (...args: string[]): Promise<string> => redisCli([...cluster, '-p', port, ...args]);
  const keys = sessionKeys(prefix, victim);
  return {
    spec,
    port,
    store,
    warnings,
    victim: { id: victim, keys },
    bystanders,
    redis,
    quarantined: () => quarantineText(redis, quarantineKey(prefix, bucketOf(victim))),
    close: async () => {
      await store.close();
      temp.cleanup();
    },
  };
}

const DUMP: Record<string, (key: string) => string[]> = {
  string: (key) => ['GET', key],
  hash: (key) => ['HGETALL', key],
  list: (key) => ['LRANGE', key, '0', '-1'],
  zset: (key) => ['ZRANGE', key, '0', '-1'],
  set: (key) => ['SMEMBERS', key],
  stream: (key) => ['XRANGE', key, '-', '+'],
};

/** The quarantine log and every key it names, dumped. */
async function quarantineText(redis: GarbageScene['redis'], log: string): Promise<string> {
  const parts = [await redis('HGETALL', log)];
  const destinations = (await redis('HKEYS', log)).split('\n').filter(Boolean);
  for (const key of destinations) {
    const type = (await redis('TYPE', key)).trim();
    parts.push(`${key} (${type}, ttl ${(await redis('TTL', key)).trim()}):\n${await redis(...(DUMP[type] ?? ((name) => ['TYPE', name]))(key))}`);
  }
  return parts.join('\n');
}

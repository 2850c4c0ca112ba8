import { Cluster } from 'ioredis';
import { RedisClient } from '../redisConnection';
import { bucketOf } from '../redisKeys';

// The sessions whose keys exist, found by SCAN (never KEYS): what shows up a session that has
// keys but no summary, which no index can (the summaries hash is the index, and it may be what was
// lost). Only verify scans; normal operation reads the index. On a cluster, every master is
// scanned, each for its own slots.

const SCAN_COUNT = 1_000;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Bucket → ids of the sessions that have a messages, order or creation key in it. */
export async function scanSessionKeys(client: RedisClient, prefix: string): Promise<Map<number, Set<string>>> {
  // The prefix is letters, digits and _ . : - (redisSpec.ts), none of them special to SCAN's glob.
  const pattern = `${prefix}:{${prefix}:b*}:s:*`;
  const shape = new RegExp(`^${escapeRegExp(prefix)}:\\{${escapeRegExp(prefix)}:b(\\d{2})\\}:s:([A-Za-z0-9_-]{1,64}):(?:messages|order|created)$`);
  const found = new Map<number, Set<string>>();
  const nodes = client instanceof Cluster ? client.nodes('master') : [client];
  for (const node of nodes) {
    let cursor = '0';
    do {
      const [next, keys] = await node.scan(cursor, 'MATCH', pattern, 'COUNT', SCAN_COUNT);
      cursor = next;
      for (const key of keys) {
        const match = shape.exec(key);
        const bucket = Number(match?.[1]);
        // A key under another bucket's tag than its id's is not one the store would ever read.
        if (match && bucketOf(match[2]) === bucket) {
          found.set(bucket, (found.get(bucket) ?? new Set()).add(match[2]));
        }
      }
    } while (cursor !== '0');
  }
  return found;
}

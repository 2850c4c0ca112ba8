import { StoreProblem, VerifyReport } from '../../core/store';
import { RedisConnection } from './redisConnection';
import { BucketKeys, allBuckets, sessionKeys } from './redisKeys';
import { pairsOf, parseSummary } from './redisRecords';

// verify for a Redis namespace: every summary readable, every session's messages present and
// counted as its summary says (a session whose keys an evicting Redis dropped shows up here).

export interface RedisVerifyOptions {
  repair: boolean;
  writer: string;
}

export async function verifyRedisStore(connection: RedisConnection, _options: RedisVerifyOptions): Promise<VerifyReport> {
  const problems: StoreProblem[] = [];
  for (const bucket of allBuckets(connection.spec.prefix)) {
    problems.push(...(await verifyBucket(connection, bucket)));
  }
  return { problems, repairs: [] };
}

async function verifyBucket(connection: RedisConnection, bucket: BucketKeys): Promise<StoreProblem[]> {
  const client = connection.client;
  const problems: StoreProblem[] = [];
  for (const [id, raw] of pairsOf(await client.hgetall(bucket.summaries).then((hash) => Object.entries(hash).flat()))) {
    const parsed = parseSummary(raw, id);
    const where = `redis ${bucket.summaries} field ${id}`;
    if (!parsed.ok) {
      problems.push({ where, what: `the summary ${parsed.problem}`, sessionId: id });
      continue;
    }
    const keys = sessionKeys(connection.spec.prefix, id);
    const [stored, listed] = await Promise.all([client.hlen(keys.messages), client.llen(keys.order)]);
    if (stored !== listed || listed !== parsed.value.messageCount) {
      problems.push({ where, what: `the summary counts ${parsed.value.messageCount} messages, Redis holds ${stored} (${listed} in order)`, sessionId: id });
    }
  }
  return problems;
}

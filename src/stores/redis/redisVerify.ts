import { VerifyReport } from '../../core/store';
import { RedisConnection } from './redisConnection';
import { allBuckets } from './redisKeys';
import { verifyBucket } from './verify/bucketVerify';
import { serverWarnings } from './verify/serverSettings';
import { scanSessionKeys } from './verify/sessionKeyScan';
import { VerifyContext } from './verify/verifyContext';

// verify for a Redis namespace. Problems (exit 1): anything the store cannot read or that is out
// of step — keys of the wrong type, summaries, messages and change-feed entries that are not
// valid, order lists naming missing messages, counts that disagree, sessions whose keys an
// evicting Redis dropped, keys left without a summary, recent and expiry indexes out of step with
// the summaries. Warnings (exit 0): server settings that put data at risk (AOF off, an evicting
// maxmemory-policy) or that could not be checked. --repair moves what is malformed into the
// bucket's quarantine (never deleting it) and rebuilds summaries and indexes from what is left, so
// a second verify is clean. Buckets are checked side by side, each session in turn, so memory
// holds at most one session per bucket. Without --repair nothing is written: verify works on a
// Redis that is out of memory.

export interface RedisVerifyOptions {
  repair: boolean;
  writer: string;
}

export async function verifyRedisStore(connection: RedisConnection, options: RedisVerifyOptions): Promise<VerifyReport> {
  const prefix = connection.spec.prefix;
  const [warnings, withKeys] = await Promise.all([
    serverWarnings(connection),
    scanSessionKeys(connection.client, prefix).catch((error: unknown) => {
      throw connection.failure(error, 'verify the store');
    }),
  ]);
  const contexts = allBuckets(prefix).map((bucket) => {
    const ctx: VerifyContext = { connection, prefix, repair: options.repair, writer: options.writer, problems: [], repairs: [] };
    return { ctx, done: verifyBucket(ctx, bucket, withKeys.get(bucket.bucket) ?? new Set()) };
  });
  await Promise.all(contexts.map(({ done }) => done));
  return {
    problems: contexts.flatMap(({ ctx }) => ctx.problems),
    repairs: contexts.flatMap(({ ctx }) => ctx.repairs),
    warnings,
  };
}

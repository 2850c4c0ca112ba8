import { join } from 'node:path';
import { MultichatError } from '../../core/errors';
import { openStore } from '../openStore';
import { openRedisStore } from '../redis/openRedisStore';
import { isRedisSpec, parseRedisSpec } from '../redis/redisSpec';
import { StoreSpec, parseStoreSpec } from '../storeSpec';
import { HybridOptions, HybridSessionStore } from './hybridStore';
import { RemoteLink } from './remoteLink';

// Opens a local store with the team's Redis as its mirror. Opening never waits for Redis: the
// local store opens, and the connection is made when the caller asks (connect(), a sync, a push).

export interface OpenHybridOptions extends HybridOptions {
  /** Keep trying to connect after a failure (a long-lived process such as the editor). */
  retry: boolean;
  /** How long one connect attempt may take unless the spec says (`connectTimeout=`). */
  connectTimeoutMs?: number;
  /** Where the Redis store keeps its local search index (the user's cache folder by default). */
  indexDirectory?: string;
}

/** The sharing log of a local store: beside its session files, or beside its database file. */
export function sharingLogPath(spec: StoreSpec): string {
  return spec.kind === 'json' ? join(spec.directory, 'sharing.log') : `${spec.file}.sharing.log`;
}

export async function openHybridStore(
  localSpec: string | StoreSpec,
  remoteSpec: string,
  options: OpenHybridOptions,
  baseDirectory?: string,
): Promise<HybridSessionStore> {
  if (!isRedisSpec(remoteSpec)) {
    // Not quoted: whatever it is, it may hold a password.
    throw new MultichatError('usage', 'the remote must be a Redis spec: redis://, rediss://, redis-sentinel:// or redis-cluster://');
  }
  // A malformed remote is a usage error now, not a connection failure later.
  parseRedisSpec(remoteSpec);
  if (typeof localSpec === 'string' && isRedisSpec(localSpec)) {
    throw new MultichatError('usage', 'a remote mirrors a local store: --store must name json:<dir> or sqlite:<file> when --remote is given');
  }
  const parsed = typeof localSpec === 'string' ? parseStoreSpec(localSpec, baseDirectory) : localSpec;
  const local = await openStore(parsed);
  const link = new RemoteLink(() => openRedisStore(remoteSpec, { connectTimeoutMs: options.connectTimeoutMs, indexDirectory: options.indexDirectory }), {
    retry: options.retry,
  });
  return new HybridSessionStore(local, link, sharingLogPath(parsed), options);
}

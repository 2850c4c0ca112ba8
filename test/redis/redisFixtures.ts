import { after, before } from 'node:test';
import { randomBytes } from 'node:crypto';
import { SessionStore } from '../../src/core/store';
import { openRedisStore } from '../../src/stores/redis/openRedisStore';
import { StoreFixture } from '../contract/sessionStoreContract';
import { RedisCluster, startRedisCluster } from '../helpers/redisCluster';
import { RedisServer, startRedis } from '../helpers/redisServers';
import { makeTempDir } from '../helpers/tempDir';

// Redis stores on servers the test file starts itself: each fixture gets a namespace of its own
// (and a local search index of its own) on the file's one server or cluster.

export type Topology = 'standalone' | 'cluster';

export interface RedisTestBed {
  /** A store spec for a fresh namespace (or the one given). */
  spec(prefix?: string): string;
  server(): RedisServer | RedisCluster;
}

/** Starts a server (or cluster) before the file's tests and stops it after them. */
export function redisTestBed(topology: Topology): RedisTestBed {
  let server: RedisServer | undefined;
  let cluster: RedisCluster | undefined;
  before(async () => {
    if (topology === 'cluster') {
      cluster = await startRedisCluster(3);
    } else {
      server = await startRedis();
    }
  });
  after(async () => {
    await server?.stop();
    await cluster?.stop();
  });
  return {
    spec: (prefix = freshPrefix()) =>
      topology === 'cluster'
        ? `redis-cluster://${cluster?.nodes.map((node) => `127.0.0.1:${node.port}`).join(',')}?prefix=${prefix}`
        : `redis://127.0.0.1:${server?.port}?prefix=${prefix}`,
    server: () => (server ?? cluster) as RedisServer | RedisCluster,
  };
}

export function freshPrefix(): string {
  return `t${randomBytes(6).toString('hex')}`;
}

/** A contract fixture: one namespace, reopened as often as the suite likes, each store with the same index folder. */
export function redisFixture(bed: RedisTestBed): () => Promise<StoreFixture> {
  return async () => {
    const spec = bed.spec();
    const temp = makeTempDir();
    return {
      open: (): Promise<SessionStore> => openRedisStore(spec, { indexDirectory: temp.path }),
      cleanup: async () => temp.cleanup(),
    };
  };
}

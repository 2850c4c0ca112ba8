import { Cluster, Redis } from 'ioredis';
import { MultichatError, describeError, storeUnavailable } from '../../core/errors';
import { RedisSpec } from './redisSpec';

// Interim connection layer (the hardened one, with clear errors for every failure, lands next).

export type RedisClient = Redis | Cluster;

export interface RedisConnection {
  readonly spec: RedisSpec;
  readonly client: RedisClient;
  subscriber(): Promise<RedisClient>;
  failure(error: unknown, doing: string): MultichatError;
  close(): Promise<void>;
}

function makeClient(spec: RedisSpec, sharded: boolean): RedisClient {
  const common = { username: spec.username, password: spec.password, lazyConnect: true, maxRetriesPerRequest: 20, enableReadyCheck: false };
  if (spec.topology === 'cluster') {
    return new Cluster(spec.endpoints, { redisOptions: common, lazyConnect: true, shardedSubscribers: sharded, enableReadyCheck: false });
  }
  return new Redis({ ...common, host: spec.endpoints[0].host, port: spec.endpoints[0].port, db: spec.db });
}

export async function connectRedis(spec: RedisSpec): Promise<RedisConnection> {
  const client = makeClient(spec, false);
  client.on('error', () => undefined);
  await client.connect();
  let subscriber: Promise<RedisClient> | undefined;
  return {
    spec,
    client,
    subscriber: () =>
      (subscriber ??= (async () => {
        const made = makeClient(spec, true);
        made.on('error', () => undefined);
        await made.connect();
        return made;
      })()),
    failure: (error, doing) => (error instanceof MultichatError ? error : storeUnavailable(`could not ${doing}: ${describeError(error)}`)),
    close: async () => {
      client.disconnect();
      (await subscriber)?.disconnect();
    },
  };
}

import { createHash } from 'node:crypto';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { redactStoreSpec } from '../specRedaction';
import { connectRedis } from './redisConnection';
import { RedisSpec, parseRedisSpec } from './redisSpec';
import { RedisSessionStore } from './redisStore';
import { defineScripts } from './scripts/scriptRunner';

/** Where a namespace's local search index lives unless told otherwise: the user's cache folder. */
export function defaultIndexDirectory(spec: RedisSpec, env: NodeJS.ProcessEnv = process.env): string {
  const root = env.XDG_CACHE_HOME || join(homedir(), '.cache');
  const identity = [spec.topology, ...spec.endpoints.map((endpoint) => `${endpoint.host}:${endpoint.port}`).sort(), spec.db, spec.master ?? '', spec.prefix].join('\n');
  const digest = createHash('sha256').update(identity).digest('hex').slice(0, 16);
  return join(root, 'multichat-sessions', 'redis-index', `${spec.prefix}-${digest}`);
}

/** Connects (rejecting within the connect timeout with a plain reason) and opens the namespace as a store. */
export async function openRedisStore(spec: string, options: { indexDirectory?: string; connectTimeoutMs?: number } = {}): Promise<RedisSessionStore> {
  const parsed = parseRedisSpec(spec);
  // A spec's own connectTimeout wins over the caller's default (the CLI's hybrid tries briefly).
  parsed.connectTimeoutMs ??= options.connectTimeoutMs;
  const connection = await connectRedis(parsed);
  defineScripts(connection.client);
  const store = new RedisSessionStore(connection, redactStoreSpec(spec), { cacheDirectory: options.indexDirectory ?? defaultIndexDirectory(parsed) });
  return store.open();
}

import { SessionStore } from '../core/store';
import { openJsonStore } from './json/jsonStore';
import { openRedisStore } from './redis/openRedisStore';
import { isRedisSpec } from './redis/redisSpec';
import { openSqliteStoreLazily } from './sqlite/lazySqliteStore';
import { StoreSpec, parseStoreSpec } from './storeSpec';

/**
 * Opens the backend a spec names; the one place that knows every backend. Opening never creates
 * files; a Redis spec connects (and fails within its connect timeout, with the reason).
 */
export async function openStore(spec: string | StoreSpec, baseDirectory?: string): Promise<SessionStore> {
  if (typeof spec === 'string' && isRedisSpec(spec)) {
    return openRedisStore(spec);
  }
  const parsed = typeof spec === 'string' ? parseStoreSpec(spec, baseDirectory) : spec;
  return parsed.kind === 'json' ? openJsonStore(parsed.directory) : openSqliteStoreLazily(parsed.file);
}

import { SessionStore } from '../core/store';
import { openJsonStore } from './json/jsonStore';
import { openSqliteStoreLazily } from './sqlite/lazySqliteStore';
import { StoreSpec, parseStoreSpec } from './storeSpec';

/** Opens the backend a spec names; the one place that knows every backend. Opening never creates files. */
export async function openStore(spec: string | StoreSpec, baseDirectory?: string): Promise<SessionStore> {
  const parsed = typeof spec === 'string' ? parseStoreSpec(spec, baseDirectory) : spec;
  return parsed.kind === 'json' ? openJsonStore(parsed.directory) : openSqliteStoreLazily(parsed.file);
}

import { isAbsolute, resolve } from 'node:path';
import { MultichatError } from '../core/errors';
import { isRedisSpec } from './redis/redisSpec';
import { invalidStoreSpec } from './specRedaction';

// Local store specs name a backend and its location: `json:<dir>`, `sqlite:<file>` (Redis specs,
// `redis://…`, are parsed by redis/redisSpec.ts; openStore takes both).
// Relative locations resolve against a base folder (the working directory for the CLI, the
// workspace folder for the extension).

export type StoreSpec = { kind: 'json'; directory: string } | { kind: 'sqlite'; file: string };

/** Where a workspace keeps its sessions unless settings say otherwise (package.json repeats these defaults). */
export const DEFAULT_JSON_DIRECTORY = '.multichat';
export const DEFAULT_SQLITE_FILE = '.multichat/sessions.sqlite';
export const DEFAULT_STORE_SPEC = `json:${DEFAULT_JSON_DIRECTORY}`;

/** The extension's `multichat.storage.*` settings, as read; empty values mean the defaults. */
export interface StorageSettings {
  backend?: string;
  jsonDirectory?: string;
  sqliteFile?: string;
}

/** The store a workspace folder's settings name, relative paths resolved against the folder. */
export function storeSpecFromSettings(settings: StorageSettings, folder: string): StoreSpec {
  if (settings.backend === 'sqlite') {
    return { kind: 'sqlite', file: resolve(folder, settings.sqliteFile || DEFAULT_SQLITE_FILE) };
  }
  return { kind: 'json', directory: resolve(folder, settings.jsonDirectory || DEFAULT_JSON_DIRECTORY) };
}

export function parseStoreSpec(spec: string, baseDirectory: string = process.cwd()): StoreSpec {
  if (isRedisSpec(spec)) {
    throw invalidStoreSpec(spec, 'a Redis namespace is not a local store (it has no folder or file): expected json:<dir> or sqlite:<file>');
  }
  const match = /^([a-z]+):(.+)$/s.exec(spec.trim());
  if (!match) {
    throw usage(spec);
  }
  const location = match[2];
  const absolute = isAbsolute(location) ? location : resolve(baseDirectory, location);
  switch (match[1]) {
    case 'json':
      return { kind: 'json', directory: absolute };
    case 'sqlite':
      return { kind: 'sqlite', file: absolute };
    default:
      throw usage(spec);
  }
}

export function formatStoreSpec(spec: StoreSpec): string {
  return spec.kind === 'json' ? `json:${spec.directory}` : `sqlite:${spec.file}`;
}

function usage(spec: string): MultichatError {
  return invalidStoreSpec(spec, 'expected json:<dir> or sqlite:<file>');
}

import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
// The ESM build: esbuild cannot bundle the UMD one (it requires its parts by computed names at run time).
import { ParseError, parse, printParseErrorCode } from 'jsonc-parser/lib/esm/main.js';
import { MultichatError } from '../core/errors';
import { BACKEND_NAMES, storeLocation, strayStoreOf } from '../stores/storeCopies';
import { StorageSettings, StoreSpec, formatStoreSpec, storeSpecFromSettings } from '../stores/storeSpec';

// Which store a command uses, as the editor would: --store, else $MULTICHAT_STORE, else the store the working
// directory's .vscode/settings.json names through the extension's `multichat.storage.*` settings (JSON with
// comments, as VS Code reads it), else the default `json:.multichat`. So after Switch Storage Backend in the editor
// the CLI follows, instead of reading the copy left behind.

export const SETTINGS_FILE = join('.vscode', 'settings.json');
const KEYS = ['backend', 'jsonDirectory', 'sqliteFile'] as const;
const BACKENDS = ['json', 'sqlite'];

export interface StoreResolution {
  spec: string;
  /** Set when the store was found from the workspace folder (its settings or the default), not named by the user. */
  workspace?: { folder: string; inUse: StoreSpec; stray?: StoreSpec };
}

export function resolveStore(flag: string | undefined, env: NodeJS.ProcessEnv = process.env, folder: string = process.cwd()): StoreResolution {
  if (flag !== undefined) {
    return { spec: flag };
  }
  if (env.MULTICHAT_STORE) {
    return { spec: env.MULTICHAT_STORE };
  }
  const settings = readStorageSettings(folder);
  const inUse = storeSpecFromSettings(settings, folder);
  return { spec: formatStoreSpec(inUse), workspace: { folder, inUse, stray: strayStoreOf(settings, folder) } };
}

/** The `multichat.storage.*` values of the folder's .vscode/settings.json; none when there is no such file. */
export function readStorageSettings(folder: string): StorageSettings {
  const file = join(folder, SETTINGS_FILE);
  if (!existsSync(file)) {
    return {};
  }
  const tree = parseSettingsFile(file);
  const settings: StorageSettings = {};
  for (const key of KEYS) {
    const value = settingAt(tree, ['multichat', 'storage', key]);
    if (value !== undefined && typeof value !== 'string') {
      throw badSettings(file, `multichat.storage.${key} must be a string, not ${JSON.stringify(value)}`);
    }
    settings[key] = value;
  }
  if (settings.backend && !BACKENDS.includes(settings.backend)) {
    throw badSettings(file, `multichat.storage.backend must be "json" or "sqlite", not ${JSON.stringify(settings.backend)}`);
  }
  return settings;
}

/** The file's top-level object, read as VS Code reads settings (comments and trailing commas allowed); empty: {}. */
function parseSettingsFile(file: string): Record<string, unknown> {
  const text = readFileSync(file, 'utf8');
  const errors: ParseError[] = [];
  const tree: unknown = parse(text, errors, { allowTrailingComma: true, disallowComments: false });
  if (errors.length > 0) {
    const { error, offset } = errors[0];
    throw badSettings(file, `${printParseErrorCode(error)} at ${lineAndColumn(text, offset)}`);
  }
  if (tree === undefined) {
    return {};
  }
  if (typeof tree !== 'object' || tree === null || Array.isArray(tree)) {
    throw badSettings(file, 'it is not a JSON object');
  }
  return tree as Record<string, unknown>;
}

/** A setting as VS Code finds it: `"multichat.storage.backend"`, or nested under `"multichat.storage"` or `"multichat"`. */
function settingAt(tree: Record<string, unknown>, path: readonly string[]): unknown {
  for (let length = path.length; length >= 1; length--) {
    const value = tree[path.slice(0, length).join('.')];
    if (length === path.length) {
      if (value !== undefined) {
        return value;
      }
    } else if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      const found = settingAt(value as Record<string, unknown>, path.slice(length));
      if (found !== undefined) {
        return found;
      }
    }
  }
  return undefined;
}

function lineAndColumn(text: string, offset: number): string {
  const before = text.slice(0, offset).split('\n');
  return `line ${before.length}, column ${before[before.length - 1].length + 1}`;
}

function badSettings(file: string, problem: string): MultichatError {
  return new MultichatError('usage', `cannot tell which store to use: ${file}: ${problem} (fix it, or pass --store)`);
}

/** The stderr line when the workspace holds a stray copy beside the store in use; undefined when it does not. */
export function strayStoreWarning(resolution: StoreResolution): string | undefined {
  const stray = resolution.workspace?.stray;
  if (!resolution.workspace || !stray) {
    return undefined;
  }
  const { folder, inUse } = resolution.workspace;
  const where = (spec: StoreSpec) => relative(folder, storeLocation(spec)) || '.';
  return (
    `multichat: warning: this folder has two session stores: ${BACKEND_NAMES[inUse.kind]} at ${where(inUse)} (in use, as ${SETTINGS_FILE} says) ` +
    `and an older ${BACKEND_NAMES[stray.kind]} copy at ${where(stray)}, which is not used. To read it: --store ${stray.kind}:${where(stray)}; ` +
    `to copy its sessions into the store in use: multichat --store ${stray.kind}:${where(stray)} migrate --to ${inUse.kind}:${where(inUse)}`
  );
}

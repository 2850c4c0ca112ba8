// Replays a Copilot `.jsonl` session log (VS Code's ObjectMutationLog): a kind 0 line holds the
// whole session, and each later line sets (1), pushes onto (2) or deletes (3) the value at a path.
// The paths come from a file, so they are walked defensively: only own properties of objects and
// in-range array indices, and never `__proto__`, `constructor` or `prototype` — a broken path is
// an error naming the line, never a TypeError or a polluted prototype. The writer appends, so a
// crash can leave the last line torn; that line is dropped and counted, as VS Code itself would
// lose it. A broken line anywhere else is an error.
import { z } from 'zod';
import { MultichatError } from '../../../core/errors';
import { SkippedParts, countSkipped } from '../importFormats';
import { brokenAt, placeOf } from '../importErrors';

const pathSchema = z.array(z.union([z.string(), z.number().int().nonnegative()]));
const entrySchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal(0), v: z.unknown() }),
  z.object({ kind: z.literal(1), k: pathSchema, v: z.unknown() }),
  z.object({ kind: z.literal(2), k: pathSchema, v: z.array(z.unknown()).nullish(), i: z.number().int().nonnegative().nullish() }),
  z.object({ kind: z.literal(3), k: pathSchema }),
]);
type Entry = z.infer<typeof entrySchema>;
type Path = (string | number)[];
type Container = Record<string, unknown> | unknown[];

const REFUSED_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** The session state the log ends with (not yet validated). */
export function replayLog(text: string, file: string, skipped: SkippedParts): unknown {
  const lines = text.split('\n');
  let state: unknown;
  let entries = 0;
  for (const [index, raw] of lines.entries()) {
    const line = raw.trim();
    if (line === '') {
      continue;
    }
    const entry = entryOf(line, file, index + 1);
    if (entry === undefined) {
      if (index === lines.length - 1) {
        countSkipped(skipped, 'copilot torn last log line');
        continue;
      }
      throw brokenAt(file, `line ${index + 1}`, 'not valid JSON');
    }
    state = apply(state, entry, (problem) => brokenAt(file, `line ${index + 1}`, problem));
    entries++;
  }
  if (entries === 0) {
    throw brokenAt(file, '', 'the log holds no entries');
  }
  return state;
}

/** The entry on a line; undefined when the line is not JSON at all (the caller decides if torn). */
function entryOf(line: string, file: string, lineNumber: number): Entry | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  const result = entrySchema.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0];
    const place = issue.path.length > 0 ? `line ${lineNumber}: ${placeOf(issue.path)}` : `line ${lineNumber}`;
    throw brokenAt(file, place, issue.message);
  }
  return result.data;
}

function apply(state: unknown, entry: Entry, broken: (problem: string) => MultichatError): unknown {
  if (entry.kind === 0) {
    return entry.v;
  }
  // As in VS Code, an empty path addresses the root, which only a kind 0 line replaces.
  if (entry.k.length === 0) {
    if (entry.kind === 2) {
      throw broken('a push needs the path of an array');
    }
    return state;
  }
  const parent = walk(state, entry.k.slice(0, -1), broken);
  const key = entry.k[entry.k.length - 1];
  checkKey(parent, key, broken);
  if (entry.kind === 2) {
    push(parent, key, entry, broken);
  } else {
    (parent as Record<string | number, unknown>)[key] = entry.kind === 1 ? entry.v : undefined;
  }
  return state;
}

/** The object or array at `path`, through own properties only. */
function walk(state: unknown, path: Path, broken: (problem: string) => MultichatError): Container {
  let node = state;
  for (const [depth, key] of path.entries()) {
    if (!isContainer(node)) {
      throw broken(`k[${depth}]: the path leads through ${JSON.stringify(path[depth - 1] ?? 'the root')}, which is no object`);
    }
    checkKey(node, key, broken);
    node = Object.hasOwn(node, key) ? (node as Record<string | number, unknown>)[key] : undefined;
  }
  if (!isContainer(node)) {
    throw broken(`k[${path.length}]: the path leads through ${JSON.stringify(path[path.length - 1] ?? 'the root')}, which is no object`);
  }
  return node;
}

/** Refuses keys that reach prototypes, and array keys that are not an index within (or just past) it. */
function checkKey(container: Container, key: string | number, broken: (problem: string) => MultichatError): void {
  if (typeof key === 'string' && REFUSED_KEYS.has(key)) {
    throw broken(`refused path segment ${JSON.stringify(key)}`);
  }
  if (Array.isArray(container) && (typeof key !== 'number' || key > container.length)) {
    throw broken(`${JSON.stringify(key)} is not an index of an array of ${container.length}`);
  }
}

/** Kind 2: truncate to `i` when given, then append the items; a missing array starts empty. */
function push(parent: Container, key: string | number, entry: Extract<Entry, { kind: 2 }>, broken: (problem: string) => MultichatError): void {
  const holder = parent as Record<string | number, unknown>;
  const current = Object.hasOwn(parent, key) ? holder[key] : undefined;
  if (current !== undefined && current !== null && !Array.isArray(current)) {
    throw broken(`${JSON.stringify(key)} is not an array`);
  }
  const array = (current ?? []) as unknown[];
  if (typeof entry.i === 'number') {
    if (entry.i > array.length) {
      throw broken(`cannot truncate an array of ${array.length} to ${entry.i}`);
    }
    array.length = entry.i;
  }
  for (const item of entry.v ?? []) {
    array.push(item);
  }
  holder[key] = array;
}

function isContainer(value: unknown): value is Container {
  return value !== null && typeof value === 'object';
}

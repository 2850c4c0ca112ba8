// Feeds an importer thousands of mutated copies of a fixture and holds it to the import rules:
// every mutant either reads as sessions the model accepts, or fails with an invalid-input error
// that names a file — never another error, never a crash, never a hang — and a mutant that fails
// changes nothing in the store it is imported into. Mutations are seeded, so a failure repeats.
import assert from 'node:assert/strict';
import { cpSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { isMultichatError } from '../../src/core/errors';
import { MemorySessionStore } from '../../src/core/memoryStore';
import { sessionSchema } from '../../src/core/model';
import { Importer } from '../../src/interop/import/importFormats';
import { runImport } from '../../src/interop/import/runImport';
import { makeTempDir } from './tempDir';
import { seededRandom } from '../../src/cli/bench/sampleData';

export { seededRandom };

export interface FuzzOptions {
  rounds: number;
  seed?: number;
  /** Mutates the bytes of one file of the copy; the default mutates JSON and JSON lines structurally or byte-wise. */
  mutate?: (bytes: Buffer, random: () => number, file: string) => Buffer;
}

export interface FuzzTally {
  accepted: number;
  rejected: number;
}

/**
 * Copies `fixture` (a file or a folder) once per round, mutates one of its files, and imports the
 * copy with `importer` into a store seeded with one session.
 */
export async function fuzzImporter(importer: Importer, fixture: string, options: FuzzOptions): Promise<FuzzTally> {
  const random = seededRandom(options.seed ?? 1);
  const mutate = options.mutate ?? mutateText;
  const temp = makeTempDir('multichat-fuzz-');
  const tally: FuzzTally = { accepted: 0, rejected: 0 };
  try {
    const isFolder = statSync(fixture).isDirectory();
    const files = isFolder ? listFiles(fixture) : [''];
    for (let round = 0; round < options.rounds; round++) {
      const copy = join(temp.path, `r${round}${isFolder ? '' : fixtureSuffix(fixture)}`);
      cpSync(fixture, copy, { recursive: true });
      const target = isFolder ? join(copy, files[Math.floor(random() * files.length)]) : copy;
      writeFileSync(target, mutate(readFileSync(target), random, target));
      tally[(await importMutant(importer, copy, `${fixture} round ${round}`)) ? 'accepted' : 'rejected']++;
      rmSync(copy, { recursive: true, force: true });
    }
    return tally;
  } finally {
    temp.cleanup();
  }
}

function fixtureSuffix(fixture: string): string {
  const name = fixture.split('/').pop() ?? '';
  return name.includes('.') ? name.slice(name.indexOf('.')) : '';
}

function listFiles(folder: string): string[] {
  return readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(folder, join(entry.parentPath, entry.name)))
    .sort();
}

/**
 * True when the mutant imported, false when it was rejected as it should be. In a folder of
 * several units, a rejected unit changes nothing, while the units beside it that read cleanly
 * still import: the store must end with exactly those, and the bystander untouched.
 */
async function importMutant(importer: Importer, path: string, label: string): Promise<boolean> {
  const store = new MemorySessionStore();
  await store.create({ id: 'bystander', title: 'Already here', messages: [{ role: 'user', content: 'keep me' }] });
  const before = JSON.stringify(await store.list());
  try {
    const read = await readUnits(importer, path, label);
    if (read.failures === 0) {
      return true;
    }
    const report = await runImport(store, path, { from: importer.format }).catch((thrown: unknown) => {
      assert.ok(isMultichatError(thrown, 'invalid-input'), `${label}: the import threw ${String(thrown)}`);
      return undefined;
    });
    assert.ok(!report || report.failed.length > 0, `${label}: read rejected it but the import reported no failure`);
    const after = await store.list();
    assert.equal(JSON.stringify(after.filter((summary) => summary.id === 'bystander')), before, `${label}: a rejected mutant changed the bystander`);
    const imported = after.map((summary) => summary.id).filter((id) => id !== 'bystander');
    assert.deepEqual(imported.sort(), [...read.goodIds].sort(), `${label}: the store holds other than the units that read cleanly`);
    return false;
  } finally {
    await store.close();
  }
}

/** Reads every unit, as the engine would: the ids of the sessions that read cleanly, and how many units failed. */
async function readUnits(importer: Importer, path: string, label: string): Promise<{ goodIds: Set<string>; failures: number }> {
  const goodIds = new Set<string>();
  let failures = 0;
  const units = await importer.discover(path, false);
  for (const unit of units) {
    try {
      const parsed = await importer.read(unit, { maxDatabaseBytes: 64 * 1024 * 1024 });
      parsed.sessions.forEach((session) => goodIds.add(sessionSchema.parse(session).id));
    } catch (error) {
      assert.ok(isMultichatError(error, 'invalid-input'), `${label}: ${importer.format} threw something other than invalid input: ${String((error as Error)?.stack ?? error)}`);
      assert.match((error as Error).message, /\//, `${label}: the error names no file: ${(error as Error).message}`);
      failures++;
    }
  }
  return { goodIds, failures };
}

// The `__proto__` mutant is parsed so that it is an own key, as JSON.parse makes it: an object
// literal would set the prototype instead, and structuredClone would turn it into `{}`.
const JSON_MUTANTS: readonly unknown[] = [null, 0, -1, 1e308, '', 'x'.repeat(300), true, [], {}, [[[]]], JSON.parse('{"__proto__":{"polluted":true}}'), '\u0000', 'not-a-date', 2 ** 53];

/** JSON (or JSON lines) mutated as a tree when it parses, else byte-wise; both kinds each round, by chance. */
export function mutateText(bytes: Buffer, random: () => number): Buffer {
  const text = bytes.toString('utf8');
  const lines = text.split('\n');
  // A pretty-printed document parses only whole; mutate it as one tree, as a one-line one is.
  const whole = lines.length > 1 ? mutateJsonLine(text, random) : undefined;
  if (whole !== undefined && random() < 0.7) {
    return Buffer.from(whole);
  }
  if (random() < 0.7) {
    const index = Math.floor(random() * lines.length);
    const mutated = mutateJsonLine(lines[index], random);
    if (mutated !== undefined) {
      lines[index] = mutated;
      return Buffer.from(lines.join('\n'));
    }
  }
  return mutateBytes(bytes, random);
}

function mutateJsonLine(line: string, random: () => number): string | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  const root = { value };
  for (let edits = 1 + Math.floor(random() * 3); edits > 0; edits--) {
    mutateNode(root, 'value', random);
  }
  return JSON.stringify(root.value);
}

/** Walks down a random path from holder[key] and changes, drops or duplicates what it finds there. */
function mutateNode(holder: Record<string, unknown>, key: string, random: () => number): void {
  let parent: Record<string, unknown> = holder;
  let at = key;
  for (let depth = 0; depth < 12; depth++) {
    const node = parent[at];
    const keys = node && typeof node === 'object' ? Object.keys(node) : [];
    if (keys.length === 0 || random() < 0.25) {
      break;
    }
    parent = node as Record<string, unknown>;
    at = keys[Math.floor(random() * keys.length)];
  }
  const roll = random();
  if (roll < 0.3) {
    delete parent[at];
  } else if (roll < 0.85) {
    parent[at] = structuredClone(JSON_MUTANTS[Math.floor(random() * JSON_MUTANTS.length)]);
  } else if (Array.isArray(parent)) {
    parent.push(structuredClone(parent[Number(at)]));
  } else {
    parent[`${at}_${Math.floor(random() * 100)}`] = parent[at];
  }
}

/** Truncation, a flipped byte, a dropped range or inserted garbage. */
export function mutateBytes(bytes: Buffer, random: () => number): Buffer {
  const at = Math.floor(random() * Math.max(1, bytes.length));
  const roll = random();
  if (roll < 0.3) {
    return bytes.subarray(0, at);
  }
  if (roll < 0.6) {
    const copy = Buffer.from(bytes);
    copy[at] = Math.floor(random() * 256);
    return copy;
  }
  if (roll < 0.8) {
    return Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + 1 + Math.floor(random() * 64))]);
  }
  const garbage = Buffer.from(['{', '}', '[', ']', '"', ',', ':', '\\', '\uFFFD', '\n'][Math.floor(random() * 10)]);
  return Buffer.concat([bytes.subarray(0, at), garbage, bytes.subarray(at)]);
}

import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { SessionStore } from '../../core/store';
import { openStore } from '../../stores/openStore';
import { COMMON_WORD, MEDIUM_WORD, RARE_WORD, sampleMessages, sampleSession, seededRandom } from './sampleData';
import { median, percentile, round, timeMs } from './stats';
import { transferMemory } from './transferBench';

// The benchmark behind `multichat bench` / `npm run bench`: fills a temporary store of each local
// backend and measures the targets — durable append (short vs long session), open + list
// in a fresh process, search, (SQLite) memory while snapshotting, on the full store and on
// one a quarter its size (about 100 MB at the default 10,000 sessions), and (JSON) the memory of
// export and migrate, on the full store and on one half its size (about 120 MB).

export interface BenchOptions {
  sessions: number;
  messages: number;
  /** The CLI script, to start fresh processes for cold measurements. */
  cliPath: string;
  log: (line: string) => void;
}

export type BenchFigures = Record<string, number>;

const APPENDS = 200;
const SEARCH_ROUNDS = 5;
const COLD_RUNS = 5;

export async function runBench(options: BenchOptions): Promise<Record<string, BenchFigures>> {
  const root = mkdtempSync(join(tmpdir(), 'multichat-bench-'));
  try {
    const results: Record<string, BenchFigures> = {};
    for (const backend of ['json', 'sqlite'] as const) {
      const spec = backend === 'json' ? `json:${join(root, 'json')}` : `sqlite:${join(root, 'bench.sqlite')}`;
      results[backend] = await benchBackend(spec, options);
    }
    return results;
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

async function benchBackend(spec: string, options: BenchOptions): Promise<BenchFigures> {
  const figures: BenchFigures = {};
  options.log(`${spec}: filling ${options.sessions} sessions × ${options.messages} messages…`);
  const ids = await withStore(spec, async (store) => {
    figures.fillSeconds = round((await timeMs(() => fill(store, options))) / 1000, 1);
    const short = await store.create({ title: 'short session', messages: sampleMessages(seededRandom(2), 10) });
    const long = await store.create({ title: 'long session', messages: sampleMessages(seededRandom(3), 1000) });
    return { short: short.id, long: long.id };
  });
  options.log(`${spec}: appends…`);
  Object.assign(figures, await withStore(spec, (store) => measureAppends(store, ids)));
  options.log(`${spec}: open + list in fresh processes…`);
  const cold = Array.from({ length: COLD_RUNS }, () => probe(options.cliPath, ['open-list', spec]));
  figures.openListMedianMs = round(median(cold.map((run) => run.openListMs)));
  figures.listedSessions = cold[0].sessions;
  options.log(`${spec}: search…`);
  Object.assign(figures, await withStore(spec, measureSearch));
  if (spec.startsWith('json:')) {
    Object.assign(figures, await transferMemories(spec, options));
  }
  if (spec.startsWith('sqlite:')) {
    options.log(`${spec}: memory while snapshotting…`);
    Object.assign(figures, snapshotMemory(options.cliPath, spec, ''));
    // The memory target is for a 100 MB database: a quarter of the default store.
    const quarterSpec = `${spec}.quarter`;
    options.log(`${quarterSpec}: filling ${Math.ceil(options.sessions / 4)} sessions, then memory while snapshotting…`);
    await withStore(quarterSpec, (store) => fill(store, { ...options, sessions: Math.ceil(options.sessions / 4) }));
    Object.assign(figures, snapshotMemory(options.cliPath, quarterSpec, 'quarter'));
  }
  return figures;
}

async function transferMemories(spec: string, options: BenchOptions): Promise<BenchFigures> {
  const scratch = dirname(spec.slice('json:'.length));
  options.log(`${spec}: memory of export and migrate…`);
  const figures = transferMemory(options.cliPath, spec, '', scratch);
  // The memory target is for a 120 MB store (5,000 sessions): half the default.
  const halfSpec = `${spec}-half`;
  const half = Math.ceil(options.sessions / 2);
  options.log(`${halfSpec}: filling ${half} sessions, then memory of export and migrate…`);
  await withStore(halfSpec, (store) => fill(store, { ...options, sessions: half }));
  return { ...figures, ...transferMemory(options.cliPath, halfSpec, 'half', scratch) };
}

function snapshotMemory(cliPath: string, spec: string, prefix: string): BenchFigures {
  const memory = probe(cliPath, ['snapshot-memory', spec]);
  const name = (figure: string): string => (prefix ? `${prefix}${figure[0].toUpperCase()}${figure.slice(1)}` : figure);
  return {
    [name('databaseMB')]: round(memory.databaseBytes / 2 ** 20, 1),
    [name('rssBeforeOpenMB')]: round(memory.rssBeforeOpen / 2 ** 20, 1),
    [name('peakRssMB')]: round(memory.peakRss / 2 ** 20, 1),
    [name('peakRssOverDatabase')]: round(memory.peakRss / memory.databaseBytes),
    [name('snapshotMs')]: round(memory.snapshotMs),
  };
}

async function fill(store: SessionStore, options: BenchOptions): Promise<void> {
  const random = seededRandom(1);
  for (let i = 0; i < options.sessions; i++) {
    await store.create(sampleSession(random, i, options.messages));
  }
}

async function measureAppends(store: SessionStore, ids: { short: string; long: string }): Promise<BenchFigures> {
  const random = seededRandom(4);
  const short: number[] = [];
  const long: number[] = [];
  for (let i = 0; i < APPENDS; i++) {
    short.push(await timeMs(() => store.appendMessages(ids.short, sampleMessages(random, 1))));
    long.push(await timeMs(() => store.appendMessages(ids.long, sampleMessages(random, 1))));
  }
  return {
    appendMedianMs: round(median(short), 3),
    appendP95Ms: round(percentile(short, 95), 3),
    appendLongSessionMedianMs: round(median(long), 3),
    appendLongOverShort: round(median(long) / median(short)),
  };
}

async function measureSearch(store: SessionStore): Promise<BenchFigures> {
  const figures: BenchFigures = {};
  await store.search(RARE_WORD); // the first search may load the store fully; measure steady state
  for (const [name, word] of Object.entries({ Common: COMMON_WORD, Medium: MEDIUM_WORD, Rare: RARE_WORD })) {
    const times: number[] = [];
    for (let i = 0; i < SEARCH_ROUNDS; i++) {
      times.push(await timeMs(() => store.search(word, { limit: 50 })));
    }
    figures[`search${name}MedianMs`] = round(median(times));
  }
  return figures;
}

async function withStore<T>(spec: string, work: (store: SessionStore) => Promise<T>): Promise<T> {
  const store = await openStore(spec);
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

function probe(cliPath: string, args: string[]): Record<string, number> {
  const output = execFileSync(process.execPath, [cliPath, 'bench-probe', ...args], { encoding: 'utf8' });
  return JSON.parse(output) as Record<string, number>;
}

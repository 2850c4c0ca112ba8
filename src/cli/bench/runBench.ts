import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { WORD_INDEX_FILE } from '../../stores/json/files/sessionFileNames';
import { storePaths } from '../../stores/sqlite/storePaths';
import { openStore } from '../../stores/openStore';
import { BenchFigures, BenchOptions, fill, fillForBench, measureAppends, measureColdRuns, measureSearch, openListInFreshProcesses, probe, withStore } from './benchSteps';
import { indexFigures } from './indexFigures';
import { benchHybrid } from './hybridBench';
import { benchImport } from './importBench';
import { REDIS_TOPOLOGIES, benchRedis, measureList } from './redisBench';
import { round } from './stats';
import { transferMemory } from './transferBench';

export type { BenchFigures, BenchOptions } from './benchSteps';

// The benchmark behind `multichat bench` / `npm run bench`: fills a temporary store of each
// backend and measures the targets — durable append (short vs long session), open + list
// and whole CLI runs in fresh processes, search and (JSON and SQLite) the word index's build, memory
// and updates, (SQLite) memory while snapshotting, on the full store and on one of about 100 MB
// (the target's size), (JSON) the memory of export and migrate, on the full store and on one half its size (about 120 MB), and
// (Redis, standalone and cluster, on servers the bench starts itself: redisBench.ts) list, search
// and live figures beside them, (hybrid: JSON mirrored through Redis, hybridBench.ts) sharing, and
// (import, importBench.ts) importing a large Copilot Chat history into a JSON store.

export const BACKENDS = ['json', 'sqlite', ...REDIS_TOPOLOGIES, 'hybrid', 'import'] as const;
export type BenchBackend = (typeof BACKENDS)[number];

export interface BenchRun extends BenchOptions {
  /** Which backends to measure (all by default); the Redis ratios need json in the same run. */
  backends?: readonly BenchBackend[];
}

export interface BenchReport {
  results: Partial<Record<BenchBackend, BenchFigures>>;
  /** What the figures were measured on, or why a backend was skipped, by backend. */
  notes: Partial<Record<BenchBackend, string>>;
}

export async function runBench(run: BenchRun): Promise<BenchReport> {
  const backends = new Set(run.backends ?? BACKENDS);
  const root = mkdtempSync(join(tmpdir(), 'multichat-bench-'));
  // Also when the bench is stopped midway (SIGINT or SIGTERM end it through process.exit).
  const removeRoot = (): void => rmSync(root, { recursive: true, force: true });
  process.on('exit', removeRoot);
  const report: BenchReport = { results: {}, notes: {} };
  try {
    const jsonSpec = `json:${join(root, 'json')}`;
    if (backends.has('json')) {
      report.results.json = await benchBackend(jsonSpec, run);
    }
    if (backends.has('sqlite')) {
      report.results.sqlite = await benchBackend(`sqlite:${join(root, 'bench.sqlite')}`, run);
    }
    const topologies = REDIS_TOPOLOGIES.filter((topology) => backends.has(topology));
    if (topologies.length > 0) {
      const redis = await benchRedis(topologies, { options: run, root, jsonSpec: report.results.json ? jsonSpec : undefined });
      Object.assign(report.results, redis.results);
      Object.assign(report.notes, redis.notes);
    }
    if (backends.has('hybrid')) {
      const hybrid = await benchHybrid(run, root);
      report.notes.hybrid = hybrid.note;
      if (hybrid.figures) {
        report.results.hybrid = hybrid.figures;
      }
    }
    if (backends.has('import')) {
      report.results.import = await benchImport(run, root);
    }
    return report;
  } finally {
    process.off('exit', removeRoot);
    removeRoot();
  }
}

/** The database size the snapshot memory target is set for (MiB, as databaseMB is). */
const TARGET_DATABASE_MB = 100;

async function benchBackend(spec: string, options: BenchOptions): Promise<BenchFigures> {
  const figures: BenchFigures = {};
  const open = (): ReturnType<typeof openStore> => openStore(spec);
  options.log(`${spec}: filling ${options.sessions} sessions × ${options.messages} messages…`);
  const { fillSeconds, ...ids } = await withStore(open, (store) => fillForBench(store, options));
  figures.fillSeconds = fillSeconds;
  options.log(`${spec}: appends and list…`);
  Object.assign(figures, await withStore(open, async (store) => ({ ...(await measureAppends(store, ids)), ...(await measureList(store)) })));
  options.log(`${spec}: open + list, and whole list and search runs, in fresh processes…`);
  Object.assign(figures, openListInFreshProcesses(options, spec));
  Object.assign(figures, measureColdRuns({ cliPath: options.cliPath, spec, runs: options.coldRuns }));
  options.log(`${spec}: search…`);
  Object.assign(figures, await withStore(open, measureSearch));
  options.log(`${spec}: the word index built from nothing, its memory and updates, in a fresh process…`);
  rmSync(spec.startsWith('json:') ? join(spec.slice('json:'.length), WORD_INDEX_FILE) : storePaths(spec.slice('sqlite:'.length)).searchIndex, { force: true });
  Object.assign(figures, indexFigures(options.cliPath, spec));
  if (spec.startsWith('json:')) {
    Object.assign(figures, await transferMemories(spec, options));
  }
  if (spec.startsWith('sqlite:')) {
    options.log(`${spec}: memory while snapshotting…`);
    Object.assign(figures, snapshotMemory(options.cliPath, spec, ''));
    // The memory target is for a 100 MB database: a store of as many sessions as make one.
    const targetSpec = `${spec}.target`;
    const sessions = Math.ceil(options.sessions * Math.min(1, TARGET_DATABASE_MB / Number(figures.databaseMB)));
    options.log(`${targetSpec}: filling ${sessions} sessions, then memory while snapshotting…`);
    await withStore(() => openStore(targetSpec), (store) => fill(store, { ...options, sessions }));
    Object.assign(figures, snapshotMemory(options.cliPath, targetSpec, 'target'));
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
  await withStore(() => openStore(halfSpec), (store) => fill(store, { ...options, sessions: half }));
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

import { execFileSync, spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { SessionStore } from '../../core/store';
import { COMMON_WORD, MEDIUM_WORD, RARE_WORD, sampleMessages, sampleSession, seededRandom } from './sampleData';
import { median, percentile, round, timeMs } from './stats';

// The measurements every backend gets: filling a store, durable appends, warm search in this
// process, and whole CLI runs in fresh processes (spawn to exit, output to /dev/null), the same
// probe for every backend so that their ratios compare like with like.

export interface BenchOptions {
  sessions: number;
  messages: number;
  /** The CLI script, to start fresh processes for cold measurements. */
  cliPath: string;
  /** Fresh processes per cold figure (its median is reported). */
  coldRuns: number;
  log: (line: string) => void;
}

export type BenchFigures = Record<string, number>;

const APPENDS = 200;
const SEARCH_ROUNDS = 5;
/** A cold run that takes longer has hung: the bench fails rather than waits. */
const COLD_RUN_TIMEOUT_MS = 120_000;

export const SEARCH_WORDS = { Common: COMMON_WORD, Medium: MEDIUM_WORD, Rare: RARE_WORD };

export async function fill(store: SessionStore, options: Pick<BenchOptions, 'sessions' | 'messages'>): Promise<void> {
  const random = seededRandom(1);
  for (let i = 0; i < options.sessions; i++) {
    await store.create(sampleSession(random, i, options.messages));
  }
}

/** Fills the store, then adds the 10- and 1,000-message sessions the append figures use. */
export async function fillForBench(store: SessionStore, options: BenchOptions): Promise<{ fillSeconds: number; short: string; long: string }> {
  const fillSeconds = round((await timeMs(() => fill(store, options))) / 1000, 1);
  const short = await store.create({ title: 'short session', messages: sampleMessages(seededRandom(2), 10) });
  const long = await store.create({ title: 'long session', messages: sampleMessages(seededRandom(3), 1000) });
  return { fillSeconds, short: short.id, long: long.id };
}

export async function measureAppends(store: SessionStore, ids: { short: string; long: string }): Promise<BenchFigures> {
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

/**
 * Search in a long-lived process: once the store is ready for it (prepareSearch, as the editor
 * asks once a window has settled: a SQLite store loads its database then, where a first search
 * would read its hits from the file) and after a first search, the median of a few.
 */
export async function measureSearch(store: SessionStore): Promise<BenchFigures> {
  const figures: BenchFigures = {};
  await store.prepareSearch?.();
  await store.search(RARE_WORD);
  // Whole words (a space after the word), then as typed: the start of the medium word (matching
  // every word it begins), a common word being typed, and two words.
  const queries = {
    ...Object.fromEntries(Object.entries(SEARCH_WORDS).map(([name, word]) => [name, `${word} `])),
    Prefix: MEDIUM_WORD.slice(0, 4),
    CommonTyped: COMMON_WORD,
    TwoWords: `${MEDIUM_WORD} ${COMMON_WORD} `,
  };
  for (const [name, query] of Object.entries(queries)) {
    const times: number[] = [];
    for (let i = 0; i < SEARCH_ROUNDS; i++) {
      times.push(await timeMs(() => store.search(query, { limit: 50 })));
    }
    figures[`search${name}MedianMs`] = round(median(times));
  }
  return figures;
}

export interface ColdRunTarget {
  cliPath: string;
  spec: string;
  runs: number;
  /** Extra environment for the child (the Redis bench points XDG_CACHE_HOME at its own cache). */
  env?: NodeJS.ProcessEnv;
}

/** `multichat list --json` and `multichat search <word>` for each word, each the median of fresh whole runs. */
export function measureColdRuns(target: ColdRunTarget): BenchFigures {
  const figures: BenchFigures = { coldListRunMedianMs: coldRunMedian(target, ['list', '--json']) };
  for (const [name, word] of Object.entries(SEARCH_WORDS)) {
    figures[`coldSearch${name}RunMedianMs`] = coldRunMedian(target, ['search', word]);
  }
  return figures;
}

function coldRunMedian(target: ColdRunTarget, args: string[]): number {
  return round(median(Array.from({ length: target.runs }, () => coldRunMs(target, args))));
}

/** From spawn to exit of `node <cli> --store <spec> <args> > /dev/null`. */
export function coldRunMs(target: ColdRunTarget, args: string[]): number {
  const start = performance.now();
  const child = spawnSync(process.execPath, [target.cliPath, '--store', target.spec, ...args], {
    stdio: ['ignore', 'ignore', 'pipe'],
    encoding: 'utf8',
    env: { ...process.env, MULTICHAT_STORE: '', ...target.env },
    timeout: COLD_RUN_TIMEOUT_MS,
    killSignal: 'SIGKILL',
  });
  const elapsed = performance.now() - start;
  if (child.status !== 0) {
    throw new Error(`multichat ${args.join(' ')} on ${target.spec} ${child.error ? `failed: ${child.error.message}` : `exited ${child.status}`}: ${child.stderr}`);
  }
  return elapsed;
}

export async function withStore<T>(open: () => Promise<SessionStore>, work: (store: SessionStore) => Promise<T>): Promise<T> {
  const store = await open();
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

/** Open + list as timed inside fresh processes (`bench-probe open-list`): the median of a few. */
export function openListInFreshProcesses(options: BenchOptions, spec: string, env?: NodeJS.ProcessEnv): BenchFigures {
  const cold = Array.from({ length: options.coldRuns }, () => probe(options.cliPath, ['open-list', spec], env));
  return { openListMedianMs: round(median(cold.map((run) => run.openListMs))), listedSessions: cold[0].sessions };
}

/** Runs `multichat bench-probe <args>` in a fresh process and reads the one JSON line it prints. */
export function probe(cliPath: string, args: string[], env?: NodeJS.ProcessEnv): Record<string, number> {
  const output = execFileSync(process.execPath, [cliPath, 'bench-probe', ...args], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: COLD_RUN_TIMEOUT_MS });
  return JSON.parse(output) as Record<string, number>;
}

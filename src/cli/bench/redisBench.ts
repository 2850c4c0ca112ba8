import { join } from 'node:path';
import { SessionStore } from '../../core/store';
import { defaultIndexDirectory, openRedisStore } from '../../stores/redis/openRedisStore';
import { parseRedisSpec } from '../../stores/redis/redisSpec';
import { BenchRedis, redisServerInstalled, startBenchCluster, startBenchRedis } from './benchRedis';
import {
  BenchFigures,
  BenchOptions,
  ColdRunTarget,
  SEARCH_WORDS,
  coldRunMs,
  fillForBench,
  measureAppends,
  measureColdRuns,
  measureSearch,
  openListInFreshProcesses,
  withStore,
} from './benchSteps';
import { indexFigures } from './indexFigures';
import { measureLive, measureSearchFreshness } from './liveBench';
import { RARE_WORD } from './sampleData';
import { median, percentile, round, timeMs } from './stats';

// The Redis part of the bench, on a standalone redis-server and on a 3-master cluster that it
// starts itself (benchRedis.ts): the local backends' figures, plus list in-process, the first
// search (which builds the local search index from nothing), live change events and how soon
// another client's change is found by search. Cold CLI runs are timed side by side with the
// JSON backend's, on the JSON store filled earlier in the same run. Each topology gets its own search cache under the bench's
// temp folder (XDG_CACHE_HOME of its CLI runs), never the user's.

export const REDIS_TOPOLOGIES = ['redis', 'redis-cluster'] as const;
export type RedisTopologyName = (typeof REDIS_TOPOLOGIES)[number];

export const REDIS_SKIPPED = 'skipped — redis-server is not installed (apt-get install redis-server)';

export interface RedisBenchContext {
  options: BenchOptions;
  /** The bench's temp folder. */
  root: string;
  /** The JSON store this run filled, to time whole CLI runs beside (the ratios). */
  jsonSpec?: string;
}

export interface RedisBenchReport {
  results: Partial<Record<RedisTopologyName, BenchFigures>>;
  notes: Partial<Record<RedisTopologyName, string>>;
}

const LIST_ROUNDS = 10;
const NAMESPACE = 'bench';

export async function benchRedis(topologies: readonly RedisTopologyName[], context: RedisBenchContext): Promise<RedisBenchReport> {
  const report: RedisBenchReport = { results: {}, notes: {} };
  if (!redisServerInstalled()) {
    context.options.log(`redis: ${REDIS_SKIPPED}`);
    report.notes.redis = REDIS_SKIPPED;
    return report;
  }
  for (const topology of topologies) {
    const server = topology === 'redis' ? await startBenchRedis() : await startBenchCluster(3);
    context.options.log(`${topology}: ${server.description}`);
    report.notes[topology] = server.description;
    try {
      report.results[topology] = await benchTopology(topology, server, context);
    } finally {
      await server.stop();
    }
  }
  return report;
}

async function benchTopology(topology: RedisTopologyName, server: BenchRedis, context: RedisBenchContext): Promise<BenchFigures> {
  const { options } = context;
  const spec = server.spec(NAMESPACE);
  const env = { XDG_CACHE_HOME: join(context.root, `${topology}-cache`) };
  const indexDirectory = defaultIndexDirectory(parseRedisSpec(spec), env);
  const open = (): Promise<SessionStore> => openRedisStore(spec, { indexDirectory });
  const figures: BenchFigures = {};
  options.log(`${topology}: filling ${options.sessions} sessions × ${options.messages} messages…`);
  const { fillSeconds, ...ids } = await withStore(open, (store) => fillForBench(store, options));
  figures.fillSeconds = fillSeconds;
  options.log(`${topology}: appends and list…`);
  Object.assign(figures, await withStore(open, async (store) => ({ ...(await measureAppends(store, ids)), ...(await measureList(store)) })));
  options.log(`${topology}: the first search (building the local index from nothing), then warm search…`);
  Object.assign(figures, await withStore(open, measureFirstAndWarmSearch));
  options.log(`${topology}: the word index built from nothing, its memory and updates, in a fresh process…`);
  Object.assign(figures, indexFigures(options.cliPath, spec, { XDG_CACHE_HOME: join(context.root, `${topology}-probe-cache`) }));
  options.log(`${topology}: open + list, and whole list and search runs, in fresh processes…`);
  Object.assign(figures, openListInFreshProcesses(options, spec, env));
  const target = { cliPath: options.cliPath, spec, runs: options.coldRuns, env };
  Object.assign(figures, context.jsonSpec ? coldRunsBesideJson(target, context.jsonSpec) : measureColdRuns(target));
  options.log(`${topology}: live change events, and how soon search finds another client's change…`);
  Object.assign(figures, await measureLive(open));
  Object.assign(figures, await measureSearchFreshness(open));
  return figures;
}

/** `list()` of every session and the first page, in this process: medians of a few, after one to warm up. */
export async function measureList(store: SessionStore): Promise<BenchFigures> {
  await store.list();
  const all: number[] = [];
  const firstPage: number[] = [];
  for (let round = 0; round < LIST_ROUNDS; round++) {
    all.push(await timeMs(() => store.list()));
    firstPage.push(await timeMs(() => store.list({ limit: 50 })));
  }
  return {
    listMedianMs: round(median(all)),
    listP95Ms: round(percentile(all, 95)),
    listFirstPageMedianMs: round(median(firstPage), 3),
  };
}

async function measureFirstAndWarmSearch(store: SessionStore): Promise<BenchFigures> {
  const searchFirstBuildMs = round(await timeMs(() => store.search(RARE_WORD)));
  return { searchFirstBuildMs, ...(await measureSearch(store)) };
}

/**
 * Whole CLI runs, each of Redis right after one of the JSON store filled in this run: the issue's
 * targets are ratios to the JSON backend, and on a shared machine only runs side by side see
 * the same load.
 */
function coldRunsBesideJson(target: ColdRunTarget, jsonSpec: string): BenchFigures {
  const probes: Record<string, string[]> = { ColdListRun: ['list', '--json'] };
  for (const [name, word] of Object.entries(SEARCH_WORDS)) {
    probes[`ColdSearch${name}Run`] = ['search', word];
  }
  const figures: BenchFigures = {};
  for (const [name, args] of Object.entries(probes)) {
    const redis: number[] = [];
    const json: number[] = [];
    for (let run = 0; run < target.runs; run++) {
      json.push(coldRunMs({ ...target, spec: jsonSpec, env: undefined }, args));
      redis.push(coldRunMs(target, args));
    }
    const figure = `${name[0].toLowerCase()}${name.slice(1)}`;
    figures[`${figure}MedianMs`] = round(median(redis));
    figures[`json${name}MedianMs`] = round(median(json));
    figures[`${figure}OverJson`] = round(median(redis) / median(json));
  }
  return figures;
}

import { createServer } from 'node:net';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { StoreChange } from '../../core/store';
import { HybridSessionStore } from '../../stores/shared/hybridStore';
import { openHybridStore } from '../../stores/shared/openHybridStore';
import { BenchRedis, redisServerInstalled, startBenchRedis } from './benchRedis';
import { BenchFigures, BenchOptions } from './benchSteps';
import { REDIS_SKIPPED } from './redisBench';
import { median, percentile, round } from './stats';

// Sharing (the hybrid: a local JSON store mirrored through Redis) on a redis-server the bench starts
// itself: a durable append to a shared session with Redis up and with it unreachable (what typing
// costs either way), how soon a teammate's editor has the message in its own store (propagation),
// and how fast an outbox that filled up offline is pushed once Redis answers (replay).

const APPENDS = 200;
const PROPAGATIONS = 200;
const REPLAY_OPS = 2_000;
const WAIT_MS = 5_000;

export interface HybridBenchReport {
  figures?: BenchFigures;
  note: string;
}

export async function benchHybrid(options: BenchOptions, root: string): Promise<HybridBenchReport> {
  if (!redisServerInstalled()) {
    return { note: REDIS_SKIPPED };
  }
  const server = await startBenchRedis();
  options.log(`hybrid: json stores mirrored through ${server.description}`);
  try {
    const figures: BenchFigures = {};
    options.log('hybrid: appends with Redis up and unreachable…');
    Object.assign(figures, await measureAppendsBothWays(server, root));
    options.log('hybrid: propagation to a second editor…');
    Object.assign(figures, await measurePropagation(server, root));
    options.log(`hybrid: replay of ${REPLAY_OPS} queued changes…`);
    Object.assign(figures, await measureReplay(server, root));
    return { figures, note: `json stores mirrored through ${server.description}` };
  } finally {
    await server.stop();
  }
}

function openHybrid(root: string, name: string, remote: string): Promise<HybridSessionStore> {
  return openHybridStore(`json:${join(root, name)}`, remote, { retry: true, connectTimeoutMs: 2_000, author: name, indexDirectory: join(root, `${name}-index`) });
}

async function measureAppendsBothWays(server: BenchRedis, root: string): Promise<BenchFigures> {
  const online = await appendLatencies(await openHybrid(root, 'online', server.spec('bench-append')));
  const offline = await appendLatencies(await openHybrid(root, 'offline', `redis://127.0.0.1:${await deadPort()}?prefix=bench-append`));
  return {
    appendOnlineP50Ms: round(median(online), 3),
    appendOnlineP99Ms: round(percentile(online, 99), 3),
    appendOfflineP50Ms: round(median(offline), 3),
    appendOfflineP99Ms: round(percentile(offline, 99), 3),
  };
}

async function appendLatencies(store: HybridSessionStore): Promise<number[]> {
  try {
    await store.sharing.connect();
    const { id } = await store.create({ title: 'append latency' });
    store.sharing.startSharing(id, 'allow');
    const latencies: number[] = [];
    for (let index = 0; index < APPENDS; index++) {
      const start = performance.now();
      await store.appendMessages(id, [{ role: 'user', content: `message ${index} of the append bench` }]);
      latencies.push(performance.now() - start);
    }
    return latencies;
  } finally {
    await store.close();
  }
}

/** From the start of one editor's append to the other editor's store reporting it (an external change). */
async function measurePropagation(server: BenchRedis, root: string): Promise<BenchFigures> {
  const remote = server.spec('bench-live');
  const writer = await openHybrid(root, 'writer', remote);
  const reader = await openHybrid(root, 'reader', remote);
  try {
    await Promise.all([writer.sharing.connect(), reader.sharing.connect()]);
    const { id } = await writer.create({ title: 'propagation' });
    writer.sharing.startSharing(id, 'allow');
    await writer.sharing.sync();
    await reader.sharing.pull(id);
    const latencies: number[] = [];
    for (let index = 0; index < PROPAGATIONS; index++) {
      latencies.push(await timeToArrival(writer, reader, id, index));
    }
    const arrived = latencies.filter(Number.isFinite);
    return {
      propagationP50Ms: round(median(arrived)),
      propagationP99Ms: round(percentile(arrived, 99)),
      propagationMaxMs: round(Math.max(...arrived)),
      propagationMissed: latencies.length - arrived.length,
    };
  } finally {
    await writer.close();
    await reader.close();
  }
}

async function timeToArrival(writer: HybridSessionStore, reader: HybridSessionStore, sessionId: string, index: number): Promise<number> {
  const content = `propagated ${index}`;
  let subscription: { dispose(): void } | undefined;
  let timer: NodeJS.Timeout | undefined;
  const arrival = new Promise<number>((resolve) => {
    timer = setTimeout(() => resolve(Infinity), WAIT_MS);
    subscription = reader.onDidChange((change: StoreChange) => {
      if (change.kind === 'appended' && change.external && change.sessionId === sessionId) {
        void reader.get(sessionId).then((session) => session?.messages.at(-1)?.content === content && resolve(performance.now()));
      }
    });
  });
  const start = performance.now();
  await writer.appendMessages(sessionId, [{ role: 'user', content }]);
  const at = await arrival;
  clearTimeout(timer);
  subscription?.dispose();
  return at - start;
}

/** Fills an outbox offline (one message per op), then times pushing it all once Redis answers. */
async function measureReplay(server: BenchRedis, root: string): Promise<BenchFigures> {
  const offline = await openHybrid(root, 'replay', `redis://127.0.0.1:${await deadPort()}?prefix=bench-replay`);
  let sessionId: string;
  try {
    await offline.sharing.connect();
    sessionId = (await offline.create({ title: 'replay' })).id;
    offline.sharing.startSharing(sessionId, 'allow');
    for (let index = 0; index < REPLAY_OPS; index++) {
      await offline.appendMessages(sessionId, [{ role: index % 2 === 0 ? 'user' : 'assistant', content: `queued offline ${index}` }]);
    }
  } finally {
    await offline.close();
  }
  const online = await openHybrid(root, 'replay', server.spec('bench-replay'));
  try {
    const start = performance.now();
    const report = await online.sharing.sync();
    const seconds = (performance.now() - start) / 1000;
    return { replayOps: report.pushed, replayPending: report.pending, replaySeconds: round(seconds), replayOpsPerSecond: round(report.pushed / seconds, 0) };
  } finally {
    await online.close();
  }
}

/** A loopback port nothing listens on (connecting is refused at once): Redis unreachable. */
function deadPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

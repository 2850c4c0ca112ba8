import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { openStore } from '../../stores/openStore';
import { sqliteUpkeep } from '../../stores/sqlite/sqliteStore';
import { collector } from './stats';

/**
 * Measurements that must run in a fresh process (cold open) or watch the process's own memory.
 * The bench command starts `multichat bench-probe <name>` as a child and reads one JSON line.
 */
export async function probeOpenList(spec: string): Promise<Record<string, number>> {
  const start = performance.now();
  const store = await openStore(spec);
  const summaries = await store.list();
  const openListMs = performance.now() - start;
  await store.close();
  return { openListMs, sessions: summaries.length };
}

/**
 * Peak resident memory while the store loads fully and then snapshots, against the file size.
 * The other figures break the peak down: the process before it opened the store (Node and the
 * bundle), and what the JS heap and ArrayBuffers (sql.js keeps its database file in one) held
 * once loaded.
 */
export async function probeSnapshotMemory(spec: string, file: string): Promise<Record<string, number>> {
  const rssBeforeOpen = process.memoryUsage().rss;
  const store = await openStore(spec);
  // Reading a session loads the whole database (a search would too, but would first build the word index).
  const [first] = await store.list({ limit: 1 });
  await store.get(first?.id ?? '');
  // What loading left behind (the file's bytes, read before sql.js took its copy) is garbage the
  // snapshot does not need: collected first, so the peak is the snapshot's.
  collector()();
  const { rss: rssLoaded, heapTotal: heapLoaded, arrayBuffers: arrayBuffersLoaded } = process.memoryUsage();
  resetPeakRss();
  const upkeep = sqliteUpkeep(store);
  if (!upkeep) {
    throw new Error(`${spec} cannot snapshot on demand`);
  }
  const start = performance.now();
  await upkeep.snapshotNow();
  const snapshotMs = performance.now() - start;
  const peakRss = readPeakRss() ?? process.memoryUsage().rss;
  await store.close();
  return { databaseBytes: statSync(file).size, rssBeforeOpen, rssLoaded, heapLoaded, arrayBuffersLoaded, peakRss, snapshotMs };
}

// Linux lets a process reset its own peak-RSS mark (VmHWM) by writing 5 to clear_refs.
function resetPeakRss(): void {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
  } catch {
    // Not Linux, or not permitted: the peak then covers the whole process life, an upper bound.
  }
}

function readPeakRss(): number | undefined {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

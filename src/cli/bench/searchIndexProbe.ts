import { SessionStore } from '../../core/store';
import { openStore } from '../../stores/openStore';
import { RARE_WORD } from './sampleData';
import { collector, median, timeMs } from './stats';

// The word index's own figures, in a fresh process whose store has no saved index: how long the
// first search takes (it builds the index), how much memory the index holds against the text it
// covers (heap and ArrayBuffers after a full garbage collection, before and after), and what one
// appended message costs the index to take in.

const UPDATE_ROUNDS = 25;

export async function probeSearchIndex(spec: string): Promise<Record<string, number>> {
  const gc = collector();
  const store = await openStore(spec);
  try {
    const ids = (await store.list()).map((summary) => summary.id);
    await store.get(ids[0]); // a SQLite store's database loaded: the store's memory, not the index's
    const before = heldBytes(gc);
    const indexBuildMs = await timeMs(() => store.search(RARE_WORD));
    await new Promise((resolve) => setTimeout(resolve, 500)); // ArrayBuffers are freed in the background
    const indexBytes = heldBytes(gc) - before;
    const textBytes = await textSize(store, ids);
    return { indexBuildMs, indexBytes, textBytes, indexShareOfText: indexBytes / textBytes, indexUpdatePerMessageMs: await updateCost(store, ids) };
  } finally {
    await store.close();
  }
}

/**
 * What bringing the index up to date after one append costs: the median catch-up
 * (prepareSearch) right after an append, less the median of one with nothing to do. Timing whole
 * searches instead buried a fraction of a millisecond under their own jitter.
 */
async function updateCost(store: SessionStore, ids: readonly string[]): Promise<number> {
  const catchUp = (): Promise<void> => (store.prepareSearch ? store.prepareSearch() : store.search(RARE_WORD).then(() => undefined));
  const idle: number[] = [];
  const afterAppend: number[] = [];
  for (let round = 0; round < UPDATE_ROUNDS; round++) {
    idle.push(await timeMs(catchUp));
    await store.appendMessages(ids[(round * 397) % ids.length], [{ role: 'user', content: `an appended message, round ${round}, about the index` }]);
    afterAppend.push(await timeMs(catchUp));
  }
  return Math.max(0, median(afterAppend) - median(idle));
}

async function textSize(store: SessionStore, ids: readonly string[]): Promise<number> {
  let bytes = 0;
  for (const id of ids) {
    const session = await store.get(id);
    session?.messages.forEach((message) => (bytes += Buffer.byteLength(message.content)));
    bytes += session ? Buffer.byteLength(session.title) : 0;
  }
  return bytes;
}

function heldBytes(gc: () => void): number {
  gc();
  gc();
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return heapUsed + arrayBuffers;
}

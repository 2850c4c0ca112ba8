import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { SessionStore, StoreChange } from '../../core/store';
import { BenchFigures, withStore } from './benchSteps';
import { RARE_WORD } from './sampleData';
import { median, percentile, round } from './stats';

// Two clients of one namespace, as two editors sharing a Redis would be: how long after one
// appends the other hears of it (onDidChange, external), and how long until the other's search
// finds what was written. Every wait is bounded; one that runs out is counted as missed.

const LIVE_APPENDS = 200;
const WARM_UP_APPENDS = 3;
const FRESHNESS_ROUNDS = 5;
const WAIT_MS = 5_000;

/** Median, p99 and max from the start of an append by one store to the other's change event for it. */
export async function measureLive(open: () => Promise<SessionStore>): Promise<BenchFigures> {
  return withStore(open, (writer) =>
    withStore(open, async (listener) => {
      const { id } = await writer.create({ title: 'live latency' });
      const arrivals = new ArrivalWaiter();
      const subscription = listener.onDidChange((change) => arrivals.note(change, id));
      try {
        // The listener subscribes as it is first asked: the first events may come by the slower poll.
        for (let round = 0; round < WARM_UP_APPENDS; round++) {
          await timeToArrival(writer, id, arrivals);
        }
        const latencies: number[] = [];
        for (let round = 0; round < LIVE_APPENDS; round++) {
          latencies.push(await timeToArrival(writer, id, arrivals));
        }
        const arrived = latencies.filter(Number.isFinite);
        return {
          liveP50Ms: round(median(arrived)),
          liveP99Ms: round(percentile(arrived, 99)),
          liveMaxMs: round(Math.max(...arrived)),
          liveEvents: arrived.length,
          liveMissed: latencies.length - arrived.length,
        };
      } finally {
        subscription.dispose();
      }
    }),
  );
}

/** Milliseconds from the start of one append to the listener hearing of it; Infinity when it did not within WAIT_MS. */
async function timeToArrival(writer: SessionStore, sessionId: string, arrivals: ArrivalWaiter): Promise<number> {
  const arrival = arrivals.next(WAIT_MS);
  const start = performance.now();
  await writer.appendMessages(sessionId, [{ role: 'assistant', content: 'a live reply' }]);
  return (await arrival) - start;
}

class ArrivalWaiter {
  private waiting: ((at: number) => void) | undefined;

  note(change: StoreChange, sessionId: string): void {
    if (change.kind === 'appended' && change.external && change.sessionId === sessionId) {
      this.waiting?.(performance.now());
    }
  }

  /** The time of the next arrival, or Infinity after `timeoutMs`. */
  next(timeoutMs: number): Promise<number> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => settle(Infinity), timeoutMs);
      const settle = (at: number): void => {
        clearTimeout(timer);
        this.waiting = undefined;
        resolve(at);
      };
      this.waiting = settle;
    });
  }
}

/** From the start of an append by one store until the other's search finds the new word in that session. */
export async function measureSearchFreshness(open: () => Promise<SessionStore>): Promise<BenchFigures> {
  return withStore(open, (writer) =>
    withStore(open, async (searcher) => {
      const { id } = await writer.create({ title: 'search freshness' });
      await searcher.search(RARE_WORD); // loads the index and brings it up to date
      const times: number[] = [];
      for (let round = 0; round < FRESHNESS_ROUNDS; round++) {
        const word = `fresh${randomBytes(6).toString('hex')}`;
        const start = performance.now();
        await writer.appendMessages(id, [{ role: 'user', content: `where did ${word} go` }]);
        times.push(await untilFound(searcher, word, id, start));
      }
      const found = times.filter(Number.isFinite);
      return {
        searchFreshnessMedianMs: round(median(found)),
        searchFreshnessMaxMs: round(Math.max(...found)),
        searchFreshnessMissed: times.length - found.length,
      };
    }),
  );
}

async function untilFound(searcher: SessionStore, word: string, sessionId: string, start: number): Promise<number> {
  while (performance.now() - start < WAIT_MS) {
    if ((await searcher.search(word)).some((hit) => hit.sessionId === sessionId)) {
      return performance.now() - start;
    }
  }
  return Infinity;
}

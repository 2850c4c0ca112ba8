import { setImmediate as nextTurn } from 'node:timers/promises';

/** Lets other work run every `every` items of a long loop, so a big scan never freezes the host. */
export async function yieldEvery(index: number, every: number): Promise<void> {
  if (index > 0 && index % every === 0) {
    await nextTurn();
  }
}

/** Resolves when `settled` does (fulfilled or rejected) or after `ms`, whichever comes first. */
export async function settleWithin(settled: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, Math.max(0, ms))));
  try {
    await Promise.race([settled.then(() => undefined, () => undefined), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Within a long loop, call on every round and await what it gives: a next turn of the event loop once `ms` have passed since the last. */
export function turnTaker(ms = 8): () => Promise<void> | undefined {
  let turn = performance.now();
  return () => {
    if (performance.now() - turn < ms) {
      return undefined;
    }
    return nextTurn().then(() => {
      turn = performance.now();
    });
  };
}

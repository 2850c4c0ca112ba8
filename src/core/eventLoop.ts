import { setImmediate as nextTurn } from 'node:timers/promises';

/** Lets other work run every `every` items of a long loop, so a big scan never freezes the host. */
export async function yieldEvery(index: number, every: number): Promise<void> {
  if (index > 0 && index % every === 0) {
    await nextTurn();
  }
}

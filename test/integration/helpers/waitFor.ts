// Polling for what the extension does by itself (reloads, notices, re-checks), with the last value seen on failure.
export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export async function waitFor<T>(what: string, probe: () => Promise<T> | T, accept: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
  let last: T | undefined;
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await sleep(100)) {
    last = await probe();
    if (accept(last)) {
      return last;
    }
  }
  throw new Error(`${what} never happened; last seen: ${describe(last)}`);
}

function describe(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value); // a store, say: circular
  }
}

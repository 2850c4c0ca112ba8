import { readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

// Temp files that a killed process left behind: an atomic replacement or a new session file
// that never reached its rename or link, so it never held anything acknowledged. Only those
// older than `minAgeMs` are removed — a younger one may be another process's write in flight.
// Returns how many were removed.

const DEFAULT_MIN_AGE_MS = 60_000;

export function removeStaleTemps(directory: string, isTemp: (name: string) => boolean, minAgeMs = DEFAULT_MIN_AGE_MS): number {
  let removed = 0;
  const cutoff = Date.now() - minAgeMs;
  for (const name of readdirSync(directory)) {
    const path = join(directory, name);
    if (isTemp(name) && (statSync(path, { throwIfNoEntry: false })?.mtimeMs ?? Infinity) < cutoff) {
      rmSync(path, { force: true });
      removed++;
    }
  }
  return removed;
}

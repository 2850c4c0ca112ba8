import { FSWatcher, watch } from 'node:fs';
import { Disposable } from '../../core/store';

/**
 * Tells a store which files in its directory other processes touched. fs.watch (inotify on
 * Linux) reports changes within milliseconds; events are batched briefly, and a slow periodic
 * rescan covers what a watcher can miss (network drives, overflowed event queues).
 */
export interface DirectoryWatchOptions {
  /** Called with the names that changed, or with undefined when everything should be rescanned. */
  onChange: (names: Set<string> | undefined) => void;
  debounceMs?: number;
  rescanMs?: number;
}

const WATCH_RETRY_MS = 500;

export function watchDirectory(directory: string, options: DirectoryWatchOptions): Disposable {
  const pending = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let rescanAll = false;
  const flush = (): void => {
    timer = undefined;
    const names = rescanAll ? undefined : new Set(pending);
    pending.clear();
    rescanAll = false;
    options.onChange(names);
  };
  const schedule = (name: string | undefined): void => {
    if (name === undefined) {
      rescanAll = true;
    } else {
      pending.add(name);
    }
    timer ??= setTimeout(flush, options.debounceMs ?? 30);
  };
  let watcher = startWatcher(directory, schedule);
  const rescan = setInterval(() => schedule(undefined), options.rescanMs ?? 5_000);
  rescan.unref();
  // A folder that does not exist yet (no session written so far) is watched once it appears.
  const retry = setInterval(() => {
    watcher ??= startWatcher(directory, schedule);
    if (watcher) {
      clearInterval(retry);
      schedule(undefined);
    }
  }, WATCH_RETRY_MS);
  retry.unref();
  if (watcher) {
    clearInterval(retry);
  }
  return {
    dispose: () => {
      watcher?.close();
      clearInterval(rescan);
      clearInterval(retry);
      if (timer) {
        clearTimeout(timer);
      }
    },
  };
}

function startWatcher(directory: string, schedule: (name: string | undefined) => void): FSWatcher | undefined {
  try {
    const watcher = watch(directory, { persistent: false }, (_event, name) => schedule(name ?? undefined));
    watcher.on('error', () => schedule(undefined));
    return watcher;
  } catch {
    return undefined;
  }
}

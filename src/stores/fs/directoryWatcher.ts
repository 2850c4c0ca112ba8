import { FSWatcher, statSync, watch } from 'node:fs';
import { Disposable } from '../../core/store';

// Tells a store which files in its directory other processes touched. fs.watch (inotify on
// Linux) reports changes within milliseconds; events are batched briefly, and a slow periodic
// rescan covers what a watcher can miss (network drives, overflowed event queues). A watch
// dies with its folder, so a folder that is deleted (`rm -rf .multichat`) or not created yet is
// watched again as soon as it exists.

export interface DirectoryWatchOptions {
  /** Called with the names that changed, or with undefined when everything should be rescanned. */
  onChange: (names: Set<string> | undefined) => void;
  debounceMs?: number;
  rescanMs?: number;
}

const WATCH_RETRY_MS = 500;

export interface DirectoryWatch extends Disposable {
  /** The folder may have just been created (by this process): watch it now rather than at the next retry. */
  folderCreated(): void;
}

export function watchDirectory(directory: string, options: DirectoryWatchOptions): DirectoryWatch {
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
  const watcher = new FolderWatch(directory, schedule);
  const rescan = setInterval(() => {
    watcher.check();
    schedule(undefined);
  }, options.rescanMs ?? 5_000);
  rescan.unref();
  return {
    folderCreated: () => watcher.startIfMissing(),
    dispose: () => {
      watcher.dispose();
      clearInterval(rescan);
      if (timer) {
        clearTimeout(timer);
      }
    },
  };
}

/** One fs.watch on a folder, restarted whenever the folder it watched is gone or replaced. */
class FolderWatch implements Disposable {
  private watcher: FSWatcher | undefined;
  private ino: number | undefined;
  private retry: NodeJS.Timeout | undefined;
  private disposed = false;

  constructor(
    private readonly directory: string,
    private readonly schedule: (name: string | undefined) => void,
  ) {
    if (!this.start()) {
      this.retryUntilWatched();
    }
  }

  /** Restarts the watch if the folder was deleted or replaced since it started. */
  check(): void {
    if (this.watcher && folderIno(this.directory) !== this.ino) {
      this.stop();
      this.retryUntilWatched();
    }
  }

  startIfMissing(): void {
    if (!this.watcher && this.start()) {
      clearInterval(this.retry);
      this.retry = undefined;
    }
  }

  dispose(): void {
    this.disposed = true;
    this.stop();
    clearInterval(this.retry);
  }

  private start(): boolean {
    const ino = folderIno(this.directory);
    if (ino === undefined || this.disposed) {
      return false;
    }
    try {
      this.watcher = watch(this.directory, { persistent: false }, (_event, name) => {
        this.schedule(name ?? undefined);
        if (name === null || name === undefined) {
          this.check();
        }
      });
      this.watcher.on('error', () => {
        this.schedule(undefined);
        this.check();
      });
      this.ino = ino;
      return true;
    } catch {
      return false;
    }
  }

  private retryUntilWatched(): void {
    if (this.retry || this.disposed) {
      return;
    }
    this.retry = setInterval(() => {
      if (this.start()) {
        clearInterval(this.retry);
        this.retry = undefined;
        this.schedule(undefined);
      }
    }, WATCH_RETRY_MS);
    this.retry.unref();
  }

  private stop(): void {
    this.watcher?.close();
    this.watcher = undefined;
    this.ino = undefined;
  }
}

function folderIno(directory: string): number | undefined {
  try {
    return statSync(directory).ino;
  } catch {
    return undefined;
  }
}

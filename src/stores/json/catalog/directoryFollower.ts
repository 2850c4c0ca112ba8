import { Disposable } from '../../../core/store';
import { DirectoryWatch, watchDirectory } from '../../fs/directoryWatcher';
import { findChangedSessions } from './directoryScan';
import { SessionFileCatalog } from './sessionFileCatalog';
import { sessionIdFromFileName } from '../files/sessionFileNames';

// Follows other processes' writes: the directory watcher names the files that changed, and its
// periodic rescan finds whatever the watcher missed by comparing every file's stamp with the
// catalog's. Each changed session is handed to `refresh`, which re-reads it and announces it.

export interface FollowOptions {
  refresh: (id: string) => void;
  /** Watcher work has no caller to fail to: failures go here. */
  onFailure: (error: unknown) => void;
  debounceMs?: number;
  rescanMs?: number;
}

export class DirectoryFollower implements Disposable {
  private readonly watcher: DirectoryWatch;
  private rescanning = false;
  private disposed = false;

  constructor(
    private readonly catalog: SessionFileCatalog,
    private readonly options: FollowOptions,
  ) {
    this.watcher = watchDirectory(catalog.directory, {
      onChange: (names) => this.onChange(names),
      debounceMs: options.debounceMs,
      rescanMs: options.rescanMs,
    });
  }

  /** After this process created the store's folder: follow it from now on. */
  folderCreated(): void {
    this.watcher.folderCreated();
  }

  dispose(): void {
    this.disposed = true;
    this.watcher.dispose();
  }

  private onChange(names: Set<string> | undefined): void {
    if (this.disposed) {
      return;
    }
    if (!names) {
      void this.rescan();
      return;
    }
    for (const name of names) {
      const id = sessionIdFromFileName(name);
      if (id !== undefined) {
        this.refresh(id);
      }
    }
  }

  private async rescan(): Promise<void> {
    if (this.rescanning) {
      return;
    }
    this.rescanning = true;
    try {
      for (const id of await findChangedSessions(this.catalog)) {
        this.refresh(id);
      }
    } catch (error) {
      this.options.onFailure(error);
    } finally {
      this.rescanning = false;
    }
  }

  private refresh(id: string): void {
    if (this.disposed) {
      return;
    }
    try {
      this.options.refresh(id);
    } catch (error) {
      this.options.onFailure(error);
    }
  }
}

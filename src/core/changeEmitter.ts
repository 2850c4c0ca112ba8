import { ChangeListener, Disposable, StoreChange } from './store';

/** A tiny event emitter for store changes; a throwing listener never breaks the store. */
export class ChangeEmitter {
  private readonly listeners = new Set<ChangeListener>();

  on(listener: ChangeListener): Disposable {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  emit(change: StoreChange): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(change);
      } catch {
        // A listener's failure is its own; other listeners and the store carry on.
      }
    }
  }

  clear(): void {
    this.listeners.clear();
  }
}

import { Disposable, StoreChange } from './store';

/** A tiny event emitter (store changes by default); a throwing listener never breaks the store. */
export class ChangeEmitter<T = StoreChange> {
  private readonly listeners = new Set<(event: T) => void>();

  get listening(): boolean {
    return this.listeners.size > 0;
  }

  on(listener: (event: T) => void): Disposable {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  emit(event: T): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch {
        // A listener's failure is its own; other listeners and the store carry on.
      }
    }
  }

  clear(): void {
    this.listeners.clear();
  }
}

import { ChangeEmitter } from './changeEmitter';
import { Disposable, StoreWarning, WarningListener } from './store';

/**
 * A store's warnings, each reported once (a corrupt line read on every refresh is still one
 * warning). Warnings raised before anyone listens — while the store opens — are held and handed
 * to the first listener, so that a caller who subscribes right after opening misses none.
 */
export class WarningReporter {
  private readonly emitter = new ChangeEmitter<StoreWarning>();
  private readonly seen = new Set<string>();
  private held: StoreWarning[] | undefined = [];

  /** False when the same warning was reported before. */
  report(warning: StoreWarning): boolean {
    const key = `${warning.kind}\n${warning.where}\n${warning.what}`;
    if (this.seen.has(key)) {
      return false;
    }
    this.seen.add(key);
    if (this.held) {
      this.held.push(warning);
    } else {
      this.emitter.emit(warning);
    }
    return true;
  }

  on(listener: WarningListener): Disposable {
    const subscription = this.emitter.on(listener);
    const held = this.held;
    if (held) {
      this.held = undefined;
      queueMicrotask(() => held.forEach((warning) => this.emitter.emit(warning)));
    }
    return subscription;
  }

  /** After a repair: damage found from now on is news, even where the same words were said before. */
  forgetReported(): void {
    this.seen.clear();
  }

  clear(): void {
    this.emitter.clear();
  }
}

import assert from 'node:assert/strict';
import { isMultichatError } from '../../src/core/errors';

/** Asserts that `promise` rejects with a MultichatError of this code. */
export async function rejectsWith(promise: Promise<unknown>, code: string): Promise<void> {
  await assert.rejects(promise, (error: unknown) => isMultichatError(error) && error.code === code);
}

interface Closable {
  close(): Promise<void>;
}

/** The stores a test opened, closed together when it ends (or sooner, when it says so). */
export class OpenedStores {
  private readonly stores: Closable[] = [];

  async track<T extends Closable>(opening: Promise<T>): Promise<T> {
    const store = await opening;
    this.stores.push(store);
    return store;
  }

  async closeAll(): Promise<void> {
    for (const store of this.stores.splice(0)) {
      await store.close();
    }
  }
}

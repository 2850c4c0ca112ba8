import { MemorySessionStore } from '../src/core/memoryStore';
import { sessionStoreContract } from './contract/sessionStoreContract';

sessionStoreContract(
  'memory',
  async () => {
    const store = new MemorySessionStore();
    return { open: async () => store, cleanup: async () => undefined };
  },
  { durable: false },
);

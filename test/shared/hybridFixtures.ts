import { SessionStore } from '../../src/core/store';
import { HybridSessionStore } from '../../src/stores/shared/hybridStore';
import { OpenHybridOptions, openHybridStore } from '../../src/stores/shared/openHybridStore';
import { StoreFixture } from '../contract/sessionStoreContract';
import { makeTempDir } from '../helpers/tempDir';
import { RedisTestBed } from '../redis/redisFixtures';

// Hybrid stores for the tests: a local store in a temp folder of its own, mirrored through a
// namespace of the test file's real redis-server.

export type LocalKind = 'json' | 'sqlite';

export interface HybridPlace {
  local: string;
  remote: string;
}

/** A fresh local store location (json:<dir> or sqlite:<file>) and a fresh namespace. */
export function freshPlace(bed: RedisTestBed, kind: LocalKind = 'json'): HybridPlace & { cleanup(): void } {
  const temp = makeTempDir('multichat-hybrid-');
  const local = kind === 'json' ? `json:${temp.path}/store` : `sqlite:${temp.path}/sessions.sqlite`;
  return { local, remote: bed.spec(), cleanup: temp.cleanup };
}

/** Opens a hybrid and connects it (the first attempt, done or failed, before it resolves). */
export async function openConnected(local: string, remote: string, options: Partial<OpenHybridOptions> = {}): Promise<HybridSessionStore> {
  const index = makeTempDir('multichat-hybrid-index-');
  const store = await openHybridStore(local, remote, { retry: true, connectTimeoutMs: 2_000, indexDirectory: index.path, ...options });
  await store.sharing.connect();
  return store;
}

/** The contract fixture: every session shared as it is created, so every write goes both ways. */
export function hybridFixture(bed: RedisTestBed, kind: LocalKind): () => Promise<StoreFixture> {
  return async () => {
    const place = freshPlace(bed, kind);
    return {
      open: (): Promise<SessionStore> => openConnected(place.local, place.remote, { shareNewSessions: true, author: 'contract' }),
      cleanup: async () => place.cleanup(),
    };
  };
}

/** What a replica holds of a session, for comparing replicas: messages in order, and its metadata. */
export function replicaView(session: Awaited<ReturnType<SessionStore['get']>>): unknown {
  if (!session) {
    return undefined;
  }
  const { title, tags, pinned, messages } = session;
  return {
    title,
    tags: [...tags].sort(),
    pinned,
    messages: messages.map(({ id, role, content, author, incomplete }) => ({ id, role, content, author, incomplete: incomplete ?? false })),
  };
}

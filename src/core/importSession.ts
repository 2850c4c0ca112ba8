import { Message, Session, SessionPatch, laterOf } from './model';
import { SessionStore } from './store';

export type ImportOutcome = 'imported' | 'updated' | 'unchanged';

/**
 * Merges one complete session into a store, idempotently: ids decide what is already there.
 * Missing messages are appended; metadata is taken when the incoming copy is newer, and so is
 * its `updatedAt` (even when nothing else differs), so that a copy finished by a second run —
 * a migration resumed after a crash — ends up identical to its source. `lastMessageAt` follows
 * from the messages; a title taken from the newer copy counts as set, as it was there.
 */
export async function importSession(store: SessionStore, session: Session): Promise<ImportOutcome> {
  const existing = await store.get(session.id);
  if (!existing) {
    await store.create(session);
    return 'imported';
  }
  const known = new Set(existing.messages.map((message) => message.id));
  const missing = session.messages.filter((message) => !known.has(message.id));
  const patch = session.updatedAt > existing.updatedAt ? metadataPatch(existing, session, missing) : undefined;
  if (missing.length === 0 && !patch) {
    return 'unchanged';
  }
  if (missing.length > 0) {
    await store.appendMessages(session.id, missing);
  }
  if (patch) {
    await store.update(session.id, patch);
  }
  return 'updated';
}

function metadataPatch(existing: Session, incoming: Session, missing: readonly Message[]): SessionPatch | undefined {
  const addTags = incoming.tags.filter((tag) => !existing.tags.includes(tag));
  const removeTags = existing.tags.filter((tag) => !incoming.tags.includes(tag));
  const changed =
    existing.title !== incoming.title ||
    (existing.untitled && !incoming.untitled) ||
    existing.pinned !== incoming.pinned ||
    addTags.length > 0 ||
    removeTags.length > 0;
  if (!changed) {
    // What appending alone makes of updatedAt: stores take the later of it and each new message's time.
    const appendedUpdatedAt = missing.reduce((latest, message) => laterOf(latest, message.createdAt), existing.updatedAt);
    return incoming.updatedAt > appendedUpdatedAt ? { updatedAt: incoming.updatedAt } : undefined;
  }
  return { title: incoming.title, pinned: incoming.pinned, addTags, removeTags, updatedAt: incoming.updatedAt };
}

export interface ImportCounts {
  imported: number;
  updated: number;
  unchanged: number;
}

export async function importSessions(store: SessionStore, sessions: readonly Session[]): Promise<ImportCounts> {
  const counts: ImportCounts = { imported: 0, updated: 0, unchanged: 0 };
  for (const session of sessions) {
    counts[await importSession(store, session)]++;
  }
  return counts;
}

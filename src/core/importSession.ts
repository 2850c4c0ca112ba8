import { Message, Session, SessionPatch, lastMessageTime, laterOf } from './model';
import { SessionStore } from './store';

export type ImportOutcome = 'imported' | 'updated' | 'unchanged';

/**
 * Merges one complete session into a store, idempotently: ids decide what is already there.
 * Missing messages are appended. When the incoming copy is not older than the stored one, it also
 * decides what its messages say (a reply that grew in the source since the last import) and their
 * order; and when it is newer, the metadata. The stored updatedAt ends as the later of the two,
 * even when nothing else differs, so that a copy finished by a second run — a migration resumed
 * after a crash — ends up identical to its source, and a third run finds nothing to do.
 * `lastMessageAt` follows from the messages; a title taken from the newer copy counts as set.
 * Messages the stored copy holds and the incoming one does not are kept: nothing acknowledged is
 * ever dropped by an import.
 */
export async function importSession(store: SessionStore, session: Session): Promise<ImportOutcome> {
  const existing = await store.get(session.id);
  if (!existing) {
    await store.create(session);
    return 'imported';
  }
  const plan = planMerge(existing, session);
  if (!plan) {
    return 'unchanged';
  }
  if (plan.missing.length > 0) {
    await store.appendMessages(session.id, plan.missing);
  }
  for (const edit of plan.edits) {
    await store.updateMessage(session.id, edit.id, { content: edit.content, incomplete: edit.incomplete ?? false });
  }
  if (plan.reorder) {
    await store.reorderMessages(session.id, session.messages.map((message) => message.id));
  }
  // Last: appends and edits stamp their own times, and the copy's own time is what it should keep.
  await store.update(session.id, { ...plan.patch, updatedAt: plan.updatedAt });
  return 'updated';
}

interface MergePlan {
  missing: Message[];
  edits: Message[];
  reorder: boolean;
  patch?: SessionPatch;
  updatedAt: string;
}

/** What merging `incoming` into `existing` takes, or undefined when nothing. */
function planMerge(existing: Session, incoming: Session): MergePlan | undefined {
  const known = new Map(existing.messages.map((message) => [message.id, message]));
  const missing = incoming.messages.filter((message) => !known.has(message.id));
  const current = incoming.updatedAt >= existing.updatedAt;
  const plan: MergePlan = {
    missing,
    edits: current ? incoming.messages.filter((message) => differs(known.get(message.id), message)) : [],
    reorder: current && orderDiffers(existing.messages, incoming.messages),
    patch: incoming.updatedAt > existing.updatedAt ? metadataPatch(existing, incoming) : undefined,
    updatedAt: lastMessageTime(laterOf(existing.updatedAt, incoming.updatedAt), missing),
  };
  const nothing = missing.length === 0 && plan.edits.length === 0 && !plan.reorder && !plan.patch && plan.updatedAt === existing.updatedAt;
  return nothing ? undefined : plan;
}

function differs(stored: Message | undefined, incoming: Message): boolean {
  return stored !== undefined && (stored.content !== incoming.content || Boolean(stored.incomplete) !== Boolean(incoming.incomplete));
}

/** Whether the messages both hold stand in a different order in the two copies. */
function orderDiffers(stored: readonly Message[], incoming: readonly Message[]): boolean {
  const incomingIds = new Set(incoming.map((message) => message.id));
  const storedOrder = stored.filter((message) => incomingIds.has(message.id)).map((message) => message.id);
  const storedIds = new Set(storedOrder);
  const incomingOrder = incoming.filter((message) => storedIds.has(message.id)).map((message) => message.id);
  return storedOrder.some((id, index) => incomingOrder[index] !== id);
}

function metadataPatch(existing: Session, incoming: Session): SessionPatch | undefined {
  const addTags = incoming.tags.filter((tag) => !existing.tags.includes(tag));
  const removeTags = existing.tags.filter((tag) => !incoming.tags.includes(tag));
  const changed =
    existing.title !== incoming.title ||
    (existing.untitled && !incoming.untitled) ||
    existing.pinned !== incoming.pinned ||
    addTags.length > 0 ||
    removeTags.length > 0;
  return changed ? { title: incoming.title, pinned: incoming.pinned, addTags, removeTags } : undefined;
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

import { Message, SessionPatch, SessionSummary, applyTagChanges, laterOf, lastMessageTime } from './model';
import { titleFromMessage } from './messageTitle';

// How appends and updates change a session's fields: one set of rules that every backend
// applies (the memory store, the JSON log fold, SQLite's writer and summary fold), so that they
// agree on order, times and titles.

export type AppendedFields = Pick<SessionSummary, 'title' | 'untitled' | 'updatedAt' | 'lastMessageAt'>;

/**
 * After messages new to the session: both times advance to the latest message, and an untitled
 * session takes its title from the first of them written by the user that has text.
 */
export function fieldsAfterAppend(current: AppendedFields, fresh: readonly Message[]): AppendedFields {
  return { ...current, ...timesAfterAppend(current, fresh), ...namingAfterAppend(current, fresh) };
}

export function timesAfterAppend(current: Pick<SessionSummary, 'updatedAt' | 'lastMessageAt'>, fresh: readonly Message[]): Pick<SessionSummary, 'updatedAt' | 'lastMessageAt'> {
  return { updatedAt: lastMessageTime(current.updatedAt, fresh), lastMessageAt: lastMessageTime(current.lastMessageAt, fresh) };
}

/** The title an untitled session takes from these new messages; undefined when it keeps its own. */
export function namingAfterAppend(current: Pick<SessionSummary, 'untitled'>, fresh: readonly Message[]): { title: string; untitled: false } | undefined {
  const title = current.untitled ? firstUserTitle(fresh) : undefined;
  return title === undefined ? undefined : { title, untitled: false };
}

/** The title the first user message with text gives, if any. */
export function firstUserTitle(messages: readonly Pick<Message, 'role' | 'content'>[]): string | undefined {
  for (const message of messages) {
    const title = message.role === 'user' ? titleFromMessage(message.content) : undefined;
    if (title !== undefined) {
      return title;
    }
  }
  return undefined;
}

export type PatchedFields = Pick<SessionSummary, 'title' | 'untitled' | 'pinned' | 'tags' | 'updatedAt'>;

/**
 * After an update made at `at`: a title in the patch is the user's and ends untitledness for
 * good. lastMessageAt never changes here — tidying a session does not move it in time.
 */
export function fieldsAfterPatch(current: PatchedFields, patch: SessionPatch, at: string): PatchedFields {
  return {
    title: patch.title ?? current.title,
    untitled: patch.title === undefined && current.untitled,
    pinned: patch.pinned ?? current.pinned,
    tags: applyTagChanges(current.tags, patch),
    updatedAt: patch.updatedAt ?? laterOf(current.updatedAt, at),
  };
}

/**
 * The order a reorder leaves (SessionStore.reorderMessages): the listed ids the session holds
 * first, in the listed order, then the others in their current order; undefined when that is the
 * order they already have. Backends apply it where they apply the reorder among other writes (the
 * JSON fold at its record, SQLite at its journal record, Redis in its script), so writes that come
 * after it simply follow.
 */
export function orderAfterReorder<T extends { id: string }>(items: readonly T[], order: readonly string[]): T[] | undefined {
  const unlisted = new Map(items.map((item) => [item.id, item]));
  const listed: T[] = [];
  for (const id of order) {
    const item = unlisted.get(id);
    if (item) {
      listed.push(item);
      unlisted.delete(id);
    }
  }
  const arranged = [...listed, ...items.filter((item) => unlisted.has(item.id))];
  return arranged.some((item, index) => item.id !== items[index].id) ? arranged : undefined;
}

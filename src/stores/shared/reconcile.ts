import { isMultichatError } from '../../core/errors';
import { Message, Session, SessionPatch } from '../../core/model';
import { OutboxOp } from './sharingRecords';
import { SharedEntry, SharingState } from './sharingState';
import { SyncContext } from './pushOutbox';
import { RemoteStore } from './remoteLink';

// Brings the local copy of a mirrored session in line with the team's, which decides: its messages
// are added here, in the server's order (messages still waiting to be pushed stay after them,
// where Redis will put them) unless a reorder of ours is waiting, its edits replace ours unless
// ours are waiting to be pushed, and its title, pin and tags are taken unless a change of ours is
// waiting. Once every replica has pushed and pulled, all hold the same messages in the same order
// with the same metadata.

export type ReconcileOutcome = 'changed' | 'unchanged' | 'gone';

export async function reconcileSession(context: SyncContext, remote: RemoteStore, sessionId: string, entry: SharedEntry): Promise<ReconcileOutcome> {
  // In this order: every change in our copy had its op logged before it was written (hybridStore.ts),
  // so the outbox read next names it, waiting or pushed — and if pushed, the team's copy read last has it.
  const ours = await context.local.get(sessionId);
  const state = context.log.current();
  const waiting = state.pendingFor(sessionId);
  const theirs = await remote.get(sessionId);
  if (!theirs) {
    return teamCopyMissing(context, sessionId, entry, waiting);
  }
  if (!ours) {
    // Pulled for the first time, or deleted here by a process that does not share.
    return (await createHere(context, theirs)) ? 'changed' : 'unchanged';
  }
  const changes = [
    await addTheirMessages(context, ours, theirs),
    await takeTheirEdits(context, ours, theirs, { state, waiting }),
    await takeTheirOrder(context, ours, theirs, waiting),
    await takeTheirMetadata(context, ours, theirs, waiting),
  ];
  queueUnpushed(context, ours, theirs, waiting);
  return changes.some(Boolean) ? 'changed' : 'unchanged';
}

/**
 * Writes the team's copy here; false when another process sharing this store wrote it first (it
 * is brought in line at the next pull, which that write announces).
 */
async function createHere(context: SyncContext, theirs: Session): Promise<boolean> {
  try {
    await context.local.create(theirs);
    return true;
  } catch (error) {
    if (isMultichatError(error, 'invalid-input') && (await context.local.get(theirs.id))) {
      return false;
    }
    throw error;
  }
}

function teamCopyMissing(context: SyncContext, sessionId: string, entry: SharedEntry, waiting: readonly OutboxOp[]): ReconcileOutcome {
  if (waiting.some((change) => change.op === 'share')) {
    return 'unchanged';
  }
  if (entry.mode === 'shared') {
    // Ours to share: its copy expired or was removed behind our back, so it is pushed again.
    context.log.append([{ type: 'op', change: { op: 'share', sessionId } }]);
    return 'unchanged';
  }
  context.log.append([{ type: 'stop', sessionId, by: 'remote' }]);
  return 'gone';
}

async function addTheirMessages(context: SyncContext, ours: Session, theirs: Session): Promise<boolean> {
  const known = new Set(ours.messages.map((message) => message.id));
  const missing = theirs.messages.filter((message) => !known.has(message.id));
  if (missing.length === 0) {
    return false;
  }
  await context.local.appendMessages(ours.id, missing);
  ours.messages.push(...missing);
  return true;
}

async function takeTheirEdits(context: SyncContext, ours: Session, theirs: Session, pending: { state: SharingState; waiting: readonly OutboxOp[] }): Promise<boolean> {
  const byId = new Map(ours.messages.map((message) => [message.id, message]));
  const mineWaiting = new Set(pending.waiting.flatMap((change) => (change.op === 'edit' ? [change.messageId] : change.op === 'append' ? change.messageIds : [])));
  let changed = false;
  for (const message of theirs.messages) {
    const mine = byId.get(message.id);
    if (!mine || sameContent(mine, message) || mineWaiting.has(message.id) || pending.state.isRedacted(ours.id, message.id)) {
      continue;
    }
    await context.local.updateMessage(ours.id, message.id, { content: message.content, incomplete: message.incomplete ?? false });
    Object.assign(mine, { content: message.content, incomplete: message.incomplete });
    changed = true;
  }
  return changed;
}

function sameContent(a: Message, b: Message): boolean {
  return a.content === b.content && (a.incomplete ?? false) === (b.incomplete ?? false);
}

/** The server's order first; ours that it does not hold yet after, in our order. A reorder of ours waiting to be pushed keeps ours. */
async function takeTheirOrder(context: SyncContext, ours: Session, theirs: Session, waiting: readonly OutboxOp[]): Promise<boolean> {
  if (waiting.some((change) => change.op === 'order')) {
    return false;
  }
  const serverOrder = theirs.messages.map((message) => message.id);
  const onServer = new Set(serverOrder);
  const wanted = [...serverOrder, ...ours.messages.map((message) => message.id).filter((id) => !onServer.has(id))];
  const current = ours.messages.map((message) => message.id);
  if (wanted.every((id, index) => current[index] === id)) {
    return false;
  }
  await context.local.reorderMessages(ours.id, serverOrder);
  const byId = new Map(ours.messages.map((message) => [message.id, message]));
  ours.messages = wanted.flatMap((id) => byId.get(id) ?? []);
  return true;
}

async function takeTheirMetadata(context: SyncContext, ours: Session, theirs: Session, waiting: readonly OutboxOp[]): Promise<boolean> {
  if (waiting.some((change) => change.op === 'update' || change.op === 'share')) {
    return false;
  }
  const patch = metadataPatch(ours, theirs);
  if (!patch) {
    return false;
  }
  await context.local.update(ours.id, patch);
  return true;
}

/** Their title (unless both still wait for a first message to name them), pin and tags. */
export function metadataPatch(ours: Session, theirs: Session): SessionPatch | undefined {
  const patch: SessionPatch = {};
  if (ours.title !== theirs.title && !theirs.untitled) {
    patch.title = theirs.title;
  }
  if (ours.pinned !== theirs.pinned) {
    patch.pinned = theirs.pinned;
  }
  const addTags = theirs.tags.filter((tag) => !ours.tags.includes(tag));
  const removeTags = ours.tags.filter((tag) => !theirs.tags.includes(tag));
  if (addTags.length > 0) {
    patch.addTags = addTags;
  }
  if (removeTags.length > 0) {
    patch.removeTags = removeTags;
  }
  return Object.keys(patch).length > 0 ? { ...patch, updatedAt: theirs.updatedAt } : undefined;
}

/**
 * Messages here that the server lacks and no op names (written just before a crash, before their
 * op was logged; or by a process that does not share): queued now, so they are not left behind.
 */
function queueUnpushed(context: SyncContext, ours: Session, theirs: Session, waiting: readonly OutboxOp[]): void {
  if (waiting.some((change) => change.op === 'share')) {
    return; // a share pushes every message there is
  }
  const onServer = new Set(theirs.messages.map((message) => message.id));
  const named = new Set(waiting.flatMap((change) => (change.op === 'append' ? change.messageIds : [])));
  const orphans = ours.messages.filter((message) => !onServer.has(message.id) && !named.has(message.id)).map((message) => message.id);
  if (orphans.length > 0) {
    context.log.append([{ type: 'op', change: { op: 'append', sessionId: ours.id, messageIds: orphans } }]);
  }
}

import { isMultichatError } from '../../core/errors';
import { SessionPatch } from '../../core/model';
import { SecretFinding } from '../../core/secrets/secretScan';
import { SessionStore, StoreWarning } from '../../core/store';
import { RemoteStore } from './remoteLink';
import { gateMessages, gateTitle } from './secretGate';
import { ChangeResult, pushSession } from './pushSession';
import { PlannedChange, planPush } from './pushPlan';
import { OutboxOp, SecretPolicy } from './sharingRecords';
import { SharedEntry } from './sharingState';
import { SharingLog } from './sharingLog';

// Pushes the outbox to Redis, op by op in file order. Every op is idempotent there (messages carry
// their ids, an edit carries the whole content, tags are added and removed by name), so pushing
// one twice — after a crash before its "pushed" record, or by two processes — doubles nothing.
// Ops name messages; their content is read from the local store as it is now.

export interface SyncContext {
  local: SessionStore;
  log: SharingLog;
  warn(warning: StoreWarning): void;
}

export interface HeldBack {
  sessionId: string;
  finding: SecretFinding;
}

export interface PushOutcome {
  pushed: number;
  held: HeldBack[];
  /** Why the push stopped early (Redis went away): the rest stays pending. */
  failure?: Error;
}


interface PushRun {
  done: string[];
  redacted: { sessionId: string; messageId: string }[];
  held: Map<string, SecretFinding>;
}

export async function pushPending(context: SyncContext, remote: RemoteStore): Promise<PushOutcome> {
  const state = context.log.current();
  const run: PushRun = { done: [], redacted: [], held: new Map() };
  let failure: Error | undefined;
  for (const group of planPush(state.pending())) {
    const sessionId = group.change.sessionId;
    const entry = state.sessions.get(sessionId);
    if (run.held.has(sessionId)) {
      continue;
    }
    if (!entry && group.change.op !== 'unshare') {
      // No longer shared: nothing of it leaves the machine any more.
      run.done.push(...group.ids);
      continue;
    }
    try {
      record(run, group, await pushChange(context, remote, group.change, entry));
    } catch (error) {
      if (!isMultichatError(error, 'invalid-input')) {
        failure = error instanceof Error ? error : new Error(String(error));
        break;
      }
      // Redis refuses it for good (it would refuse every retry): said, and not tried again.
      context.warn({ kind: 'failure', sessionId, where: context.log.path, what: `a change to session ${sessionId} could not be shared: ${error.message}` });
      run.done.push(...group.ids);
    }
  }
  writeOutcome(context, run);
  return { pushed: run.done.length, held: [...run.held].map(([sessionId, finding]) => ({ sessionId, finding })), failure };
}

function record(run: PushRun, group: PlannedChange, result: ChangeResult): void {
  if (result.held) {
    run.held.set(group.change.sessionId, result.held);
    return;
  }
  run.done.push(...group.ids);
  for (const messageId of result.redacted ?? []) {
    run.redacted.push({ sessionId: group.change.sessionId, messageId });
  }
}

function writeOutcome(context: SyncContext, run: PushRun): void {
  if (run.done.length === 0 && run.redacted.length === 0) {
    return;
  }
  context.log.append([
    ...run.redacted.map(({ sessionId, messageId }) => ({ type: 'redacted' as const, sessionId, messageId })),
    ...(run.done.length > 0 ? [{ type: 'pushed' as const, ops: run.done }] : []),
  ]);
}

async function pushChange(context: SyncContext, remote: RemoteStore, change: OutboxOp, entry: SharedEntry | undefined): Promise<ChangeResult> {
  try {
    return await sendChange(context, remote, change, entry?.secrets ?? 'hold');
  } catch (error) {
    if (!isMultichatError(error, 'not-found') || change.op === 'unshare' || !entry) {
      throw error;
    }
    return remoteGone(context, remote, change.sessionId, entry);
  }
}

async function sendChange(context: SyncContext, remote: RemoteStore, change: OutboxOp, policy: SecretPolicy): Promise<ChangeResult> {
  switch (change.op) {
    case 'share':
      return pushSession(context, remote, change.sessionId, policy);
    case 'append':
      return pushMessages(context, remote, change.sessionId, change.messageIds, policy);
    case 'edit':
      return pushEdit(context, remote, change, policy);
    case 'update':
      return pushUpdate(remote, change.sessionId, change.patch, policy);
    case 'unshare':
      await remote.delete(change.sessionId);
      return {};
    case 'order':
      return pushOrder(context, remote, change.sessionId);
  }
}

/** The local order as it is now (messages Redis lacks, held back say, are ignored there). */
async function pushOrder(context: SyncContext, remote: RemoteStore, sessionId: string): Promise<ChangeResult> {
  const session = await context.local.get(sessionId);
  if (session) {
    await remote.reorderMessages(sessionId, session.messages.map((message) => message.id));
  }
  return {};
}

/**
 * The team's copy is gone. A session this store shares is shared again (its copy expired, or was
 * removed behind its back); one it follows was unshared by its sharer: it stays here, unshared.
 */
async function remoteGone(context: SyncContext, remote: RemoteStore, sessionId: string, entry: SharedEntry): Promise<ChangeResult> {
  if (entry.mode === 'shared') {
    return pushSession(context, remote, sessionId, entry.secrets);
  }
  context.log.append([{ type: 'stop', sessionId, by: 'remote' }]);
  return {};
}

async function pushMessages(context: SyncContext, remote: RemoteStore, sessionId: string, ids: readonly string[], policy: SecretPolicy): Promise<ChangeResult> {
  const session = await context.local.get(sessionId);
  const wanted = new Set(ids);
  const messages = session?.messages.filter((message) => wanted.has(message.id)) ?? [];
  const gated = await gateMessages(messages, policy);
  if (gated.messages.length > 0) {
    await remote.appendMessages(sessionId, gated.messages);
  }
  return gated.held ? { held: gated.held } : { redacted: gated.redacted };
}

async function pushEdit(context: SyncContext, remote: RemoteStore, change: Extract<OutboxOp, { op: 'edit' }>, policy: SecretPolicy): Promise<ChangeResult> {
  const session = await context.local.get(change.sessionId);
  const message = session?.messages.find((each) => each.id === change.messageId);
  if (!message) {
    return {};
  }
  const gated = await gateMessages([message], policy);
  const [outgoing] = gated.messages;
  if (!outgoing) {
    return { held: gated.held };
  }
  try {
    await remote.updateMessage(change.sessionId, message.id, { content: outgoing.content, incomplete: outgoing.incomplete ?? false });
  } catch (error) {
    if (!isMultichatError(error, 'not-found') || !(await remote.get(change.sessionId))) {
      throw error;
    }
    // The message itself never reached Redis (it was held back, say): it goes now, as it is.
    await remote.appendMessages(change.sessionId, [outgoing]);
  }
  return { redacted: gated.redacted };
}

async function pushUpdate(remote: RemoteStore, sessionId: string, patch: SessionPatch, policy: SecretPolicy): Promise<ChangeResult> {
  const change = { ...patch };
  if (change.title !== undefined) {
    const gated = await gateTitle(change.title, policy);
    if (gated.held) {
      return { held: gated.held };
    }
    change.title = gated.title;
  }
  await remote.update(sessionId, change);
  return {};
}

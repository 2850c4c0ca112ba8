import { isMultichatError } from '../../core/errors';
import { Message, Session } from '../../core/model';
import { SecretFinding } from '../../core/secrets/secretScan';
import { RemoteStore } from './remoteLink';
import { gateMessages, gateTitle } from './secretGate';
import { SecretPolicy } from './sharingRecords';
import type { SyncContext } from './pushOutbox';

// The push of a whole session: its first share, and bringing a team copy that went missing (or
// lags behind) up to date. Credentials are checked over the whole session first.

/** What one pushed change left: a finding that held it back, or the messages pushed redacted. */
export type ChangeResult = { held?: SecretFinding; redacted?: string[] };

/** Creates the team's copy, or brings one that exists up to date with this one. */
export async function pushSession(context: SyncContext, remote: RemoteStore, sessionId: string, policy: SecretPolicy): Promise<ChangeResult> {
  const session = await context.local.get(sessionId);
  if (!session) {
    return {};
  }
  const title = await gateTitle(session.title, policy);
  if (title.held) {
    return { held: title.held };
  }
  // Held back at a message, the messages before it still go: the team sees the session up to there.
  const gated = await gateMessages(session.messages, policy);
  const result: ChangeResult = gated.held ? { held: gated.held } : { redacted: gated.redacted };
  const existing = (await remote.get(sessionId)) ?? (await createThere(remote, { ...session, title: title.title, messages: gated.messages }));
  if (existing) {
    await appendMissing(remote, existing, gated.messages);
  }
  return result;
}

/** Creates the team's copy; undefined once created, or the copy another process created meanwhile (pushing the same op). */
async function createThere(remote: RemoteStore, session: Session): Promise<Session | undefined> {
  try {
    await remote.create(session);
    return undefined;
  } catch (error) {
    const created = isMultichatError(error, 'invalid-input') ? await remote.get(session.id) : undefined;
    if (!created) {
      throw error;
    }
    return created;
  }
}

async function appendMissing(remote: RemoteStore, existing: Session, messages: readonly Message[]): Promise<void> {
  const there = new Set(existing.messages.map((message) => message.id));
  const missing = messages.filter((message) => !there.has(message.id));
  if (missing.length > 0) {
    await remote.appendMessages(existing.id, missing);
  }
}

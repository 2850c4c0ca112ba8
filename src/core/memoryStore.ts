import { ChangeEmitter } from './changeEmitter';
import { MultichatError, invalidInput, sessionNotFound } from './errors';
import {
  Message,
  MessagePatch,
  NewMessage,
  NewSession,
  Session,
  SessionPatch,
  SessionSummary,
  compareSummaries,
  nowIso,
  summarize,
} from './model';
import { fieldsAfterAppend, fieldsAfterPatch, orderAfterReorder } from './sessionRules';
import { matchSession, parseStoreQuery, rankHits } from './search';
import { ChangeListener, Disposable, ListOptions, SearchHit, SearchOptions, SessionStore, StoreAccess, VerifyReport } from './store';
import { prepareMessagePatch, prepareMessages, prepareOrder, preparePatch, prepareSession } from './validate';

/** The reference implementation of the store contract: everything in memory, nothing durable. */
export class MemorySessionStore implements SessionStore {
  readonly spec = 'memory:';
  private readonly sessions = new Map<string, Session>();
  private readonly changes = new ChangeEmitter();

  async create(input: NewSession): Promise<SessionSummary> {
    const session = prepareSession(input);
    if (this.sessions.has(session.id)) {
      throw invalidInput(`a session with id ${session.id} already exists`);
    }
    this.sessions.set(session.id, session);
    this.changes.emit({ kind: 'created', sessionId: session.id, external: false });
    return summarize(session);
  }

  async get(id: string): Promise<Session | undefined> {
    const session = this.sessions.get(id);
    return session && structuredClone(session);
  }

  async list(options: ListOptions = {}): Promise<SessionSummary[]> {
    const summaries = [...this.sessions.values()]
      .map(summarize)
      .filter((summary) => options.tag === undefined || summary.tags.includes(options.tag))
      .sort(compareSummaries);
    return summaries.slice(0, options.limit);
  }

  async appendMessages(id: string, input: readonly NewMessage[]): Promise<Message[]> {
    const session = this.require(id);
    const messages = prepareMessages(input);
    const known = new Set(session.messages.map((message) => message.id));
    const fresh = messages.filter((message) => !known.has(message.id));
    session.messages.push(...fresh);
    Object.assign(session, fieldsAfterAppend(session, fresh));
    this.changes.emit({ kind: 'appended', sessionId: id, external: false });
    return messages;
  }

  async update(id: string, input: SessionPatch): Promise<SessionSummary> {
    const patch = preparePatch(input);
    const session = this.require(id);
    Object.assign(session, fieldsAfterPatch(session, patch, nowIso()));
    this.changes.emit({ kind: 'updated', sessionId: id, external: false });
    return summarize(session);
  }

  async updateMessage(sessionId: string, messageId: string, input: MessagePatch): Promise<Message> {
    const patch = prepareMessagePatch(input);
    const message = this.require(sessionId).messages.find((each) => each.id === messageId);
    if (!message) {
      throw new MultichatError('not-found', `no such message: ${messageId}`);
    }
    Object.assign(message, patch);
    this.changes.emit({ kind: 'updated', sessionId, external: false });
    return { ...message };
  }

  async reorderMessages(sessionId: string, input: readonly string[]): Promise<void> {
    const order = prepareOrder(input);
    const session = this.require(sessionId);
    const arranged = orderAfterReorder(session.messages, order);
    if (arranged) {
      session.messages = arranged;
      this.changes.emit({ kind: 'updated', sessionId, external: false });
    }
  }

  async delete(id: string): Promise<boolean> {
    const existed = this.sessions.delete(id);
    if (existed) {
      this.changes.emit({ kind: 'deleted', sessionId: id, external: false });
    }
    return existed;
  }

  async search(query: string, options: SearchOptions = {}): Promise<SearchHit[]> {
    const parsed = parseStoreQuery(query);
    options.signal?.throwIfAborted();
    const hits: SearchHit[] = [];
    for (const session of this.sessions.values()) {
      const hit = matchSession(summarize(session), session.messages, parsed);
      if (hit) {
        hits.push(hit);
      }
    }
    return rankHits(hits, (sessionId) => this.sessions.get(sessionId)?.lastMessageAt ?? '', options.limit);
  }

  onDidChange(listener: ChangeListener): Disposable {
    return this.changes.on(listener);
  }

  /** Nothing in memory can be corrupt or fail in the background. */
  onDidWarn(): Disposable {
    return { dispose: () => undefined };
  }

  async access(): Promise<StoreAccess> {
    return { writable: true };
  }

  async verify(): Promise<VerifyReport> {
    return { problems: [], repairs: [] };
  }

  async close(): Promise<void> {
    this.changes.clear();
  }

  private require(id: string): Session {
    const session = this.sessions.get(id);
    if (!session) {
      throw sessionNotFound(id);
    }
    return session;
  }
}

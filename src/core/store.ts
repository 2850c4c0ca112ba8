import { Message, MessagePatch, NewMessage, NewSession, Session, SessionPatch, SessionSummary } from './model';

/** What changed in a store; `external` marks changes made by another process. */
export type StoreChange =
  | { kind: 'created' | 'updated' | 'appended' | 'deleted'; sessionId: string; external: boolean }
  | { kind: 'reloaded'; external: boolean };

export interface Disposable {
  dispose(): void;
}

export type ChangeListener = (change: StoreChange) => void;

export interface ListOptions {
  tag?: string;
  limit?: number;
}

export interface SearchOptions {
  limit?: number;
  /** Abandons the search (a newer query replaced it): it then rejects with the signal's reason. */
  signal?: AbortSignal;
}

export interface SearchHit {
  sessionId: string;
  /** null when the title matched rather than a message. */
  messageId: string | null;
  title: string;
  /** The text around the first match, on one line. */
  snippet: string;
  /** Where the matched words stand in the snippet: [start, end) UTF-16 offsets, in order. */
  marks: [start: number, end: number][];
  score: number;
}

export interface StoreProblem {
  /** The file or record at fault. */
  where: string;
  what: string;
  /** The session concerned, when the problem lies in one session's data. */
  sessionId?: string;
}

/** Whether a store can be written right now; a read-only store still reads. */
export type StoreAccess = { writable: true } | { writable: false; reason: string };

/**
 * Something a store found while working, reported once: data it could not read (a corrupt
 * record, an unreadable file — verify --repair quarantines it), or background upkeep that failed
 * (a snapshot on a full disk) and will be retried.
 */
export interface StoreWarning {
  kind: 'corrupt' | 'failure';
  /** The session concerned, when the problem lies in one session's data. */
  sessionId?: string;
  /** The file (and line or byte) at fault. */
  where: string;
  what: string;
}

export type WarningListener = (warning: StoreWarning) => void;

/** How far a search index being built or brought up to date has got: sessions read of those due. */
export interface IndexProgress {
  done: number;
  total: number;
}

export type IndexProgressListener = (progress: IndexProgress) => void;

export interface VerifyReport {
  problems: StoreProblem[];
  /** What `repair` did, one line each. */
  repairs: string[];
  /**
   * Risks that are not damage and that repair cannot remove (a Redis with AOF off, or one that
   * may evict keys), or checks that could not be made; they do not make a store unhealthy.
   */
  warnings?: StoreProblem[];
}

/**
 * The one storage contract every backend implements and the shared contract suite checks.
 * Every mutating call is durable before its promise resolves, and invalid input is rejected with
 * a MultichatError before anything is written.
 */
export interface SessionStore {
  /** The spec the store was opened with, e.g. `json:/path`. */
  readonly spec: string;
  create(input: NewSession): Promise<SessionSummary>;
  get(id: string): Promise<Session | undefined>;
  /** Summaries, most recently updated first. */
  list(options?: ListOptions): Promise<SessionSummary[]>;
  appendMessages(id: string, messages: readonly NewMessage[]): Promise<Message[]>;
  update(id: string, patch: SessionPatch): Promise<SessionSummary>;
  /**
   * Replaces the content (and incomplete flag) of a message already in the session: a reply
   * being streamed is appended once, marked incomplete, then updated as it grows and completed.
   * Rejects with not-found when the session or message does not exist. Emits 'updated'.
   */
  updateMessage(sessionId: string, messageId: string, patch: MessagePatch): Promise<Message>;
  /**
   * Puts the session's messages in a new order: the listed ids first, in the listed order, then every
   * message not listed, in its current order. Ids the session does not hold are ignored (a message
   * dropped by repair, say). Durable before it resolves, idempotent, and it changes neither updatedAt
   * nor lastMessageAt (nothing was written, only arranged); emits 'updated' when the order changed.
   * Rejects with not-found for an unknown session, invalid-input for an invalid or repeated id.
   */
  reorderMessages(sessionId: string, order: readonly string[]): Promise<void>;
  /** Resolves false when there was no such session. */
  delete(id: string): Promise<boolean>;
  /**
   * Sessions whose title or messages hold every word and phrase of the query, case- and
   * accent-insensitively, the last word as a prefix while it is typed, and that pass its
   * `tag:` `source:` `role:` `after:` `before:` filters (searchQuery.ts); best first (search.ts).
   * Rejects with invalid-input for a query without words or with a filter it cannot read.
   */
  search(query: string, options?: SearchOptions): Promise<SearchHit[]>;
  onDidChange(listener: ChangeListener): Disposable;
  /**
   * Warnings, each reported once per store; those found while opening are delivered shortly after
   * open resolves, so a listener subscribed right away receives them.
   */
  onDidWarn(listener: WarningListener): Disposable;
  /**
   * Stores that keep a search index report its progress while it catches up with many sessions
   * (a first build, a rebuild): done === total ends it. Stores without one never call it.
   */
  onDidIndex?(listener: IndexProgressListener): Disposable;
  /** Stores that keep a search index bring it up to date now, so that the first search is instant. */
  prepareSearch?(): Promise<void>;
  /** Whether writes can succeed now (a read-only mount or folder refuses them; reads still work). */
  access(): Promise<StoreAccess>;
  verify(options?: { repair?: boolean }): Promise<VerifyReport>;
  close(): Promise<void>;
}

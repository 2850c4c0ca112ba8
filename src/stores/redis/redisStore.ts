import { randomBytes } from 'node:crypto';
import { ChangeEmitter } from '../../core/changeEmitter';
import { MultichatError, sessionNotFound, storeUnavailable } from '../../core/errors';
import { Message, MessagePatch, NewMessage, NewSession, Session, SessionPatch, SessionSummary, nowIso, summarize } from '../../core/model';
import { parseStoreQuery } from '../../core/search';
import { titleFromMessage } from '../../core/messageTitle';
import {
  ChangeListener,
  Disposable,
  IndexProgress,
  IndexProgressListener,
  ListOptions,
  SearchHit,
  SearchOptions,
  SessionStore,
  StoreAccess,
  VerifyReport,
  WarningListener,
} from '../../core/store';
import { prepareMessagePatch, prepareMessages, prepareOrder, preparePatch, prepareSession } from '../../core/validate';
import { WarningReporter } from '../../core/warningReporter';
import { RedisConnection } from './redisConnection';
import { SessionKeys, sessionKeys } from './redisKeys';
import { encodeSummary, parseSummary } from './redisRecords';
import { RedisReader } from './redisReader';
import { RedisChangeFeed } from './redisChangeFeed';
import { RedisSearch } from './search/redisSearch';
import { verifyRedisStore } from './redisVerify';
import { ScriptName, runScript, runScriptReplicated } from './scripts/scriptRunner';

// The Redis backend (`redis://`, `rediss://`, `redis-sentinel://`, `redis-cluster://`): sessions in
// a team's own Redis, shared live between clients. Every write is one Lua script (see
// scripts/writeScripts.ts): one round trip, ordered by the server, atomic with its index entry and
// change-feed entry, and idempotent, so a command ioredis re-sends after a reconnect never doubles
// anything. Acknowledged means Redis has it (with AOF on, see the README, it survives a crash).
// Other clients' changes arrive through the change feed (redisChangeFeed.ts); search runs on a
// local word index kept in step with that feed (search/redisSearch.ts).

export interface RedisStoreOptions {
  /** Where the local search index is cached (one folder per namespace). */
  cacheDirectory: string;
}

type ScriptReply = [status: string, payload?: unknown];

const REPLICA_RECHECK_MS = 10_000;

export class RedisSessionStore implements SessionStore {
  /** Identifies this client's writes in the change feed, so it does not hear its own changes as another's. */
  readonly writer = randomBytes(9).toString('base64url');
  private readonly changes = new ChangeEmitter();
  private readonly indexing = new ChangeEmitter<IndexProgress>();
  private readonly warnings = new WarningReporter();
  private readonly reader: RedisReader;
  private readonly feed: RedisChangeFeed;
  private readonly searcher: RedisSearch;
  private readonly ttlMs: number;
  private closed = false;
  /** Until when writes do not wait for a replica, none having confirmed one lately. */
  private noReplicaUntil = 0;

  constructor(
    private readonly connection: RedisConnection,
    readonly spec: string,
    options: RedisStoreOptions,
  ) {
    const prefix = connection.spec.prefix;
    this.ttlMs = (connection.spec.ttlSeconds ?? 0) * 1000;
    this.reader = new RedisReader(connection, (warning) => this.warnings.report(warning));
    this.feed = new RedisChangeFeed(connection, this.reader, this.writer, (change) => this.changes.emit(change), (bucket) =>
      runScript(connection.client, 'mcSweep', [bucket.summaries, bucket.recent, bucket.expiry, bucket.changes], ['', this.writer, 0, bucket.bell]),
    );
    this.searcher = new RedisSearch({
      connection,
      reader: this.reader,
      cacheDirectory: options.cacheDirectory,
      prefix,
      warn: (what) => this.warnings.report({ kind: 'failure', where: options.cacheDirectory, what }),
      onProgress: (done, total) => this.indexing.emit({ done, total }),
    });
  }

  /** Notes where the change feed stands, so changes from now on reach listeners. */
  async open(): Promise<this> {
    try {
      await this.feed.mark();
    } catch (error) {
      await this.connection.close();
      throw this.connection.failure(error, 'open the store');
    }
    return this;
  }

  async create(input: NewSession): Promise<SessionSummary> {
    const session = prepareSession(input);
    const summary = summarize(session);
    const token = randomBytes(12).toString('base64url');
    const pairs = session.messages.flatMap((message) => [message.id, JSON.stringify(message)]);
    const reply = await this.write('mcCreate', session.id, [token, encodeSummary(summary), ...pairs], `create session ${session.id}`);
    if (reply[0] === 'exists') {
      throw new MultichatError('invalid-input', `a session with id ${session.id} already exists`);
    }
    return this.acknowledge(reply, session.id, 'created');
  }

  get(id: string): Promise<Session | undefined> {
    return this.reader.get(id);
  }

  list(options: ListOptions = {}): Promise<SessionSummary[]> {
    return this.reader.list(options);
  }

  async appendMessages(id: string, input: readonly NewMessage[]): Promise<Message[]> {
    const messages = prepareMessages(input);
    const args = messages.flatMap((message) => [
      message.id,
      message.createdAt,
      (message.role === 'user' ? titleFromMessage(message.content) : undefined) ?? '',
      JSON.stringify(message),
    ]);
    const reply = await this.write('mcAppend', id, args, `append to session ${id}`);
    this.acknowledge(reply, id, 'appended');
    return messages;
  }

  async update(id: string, input: SessionPatch): Promise<SessionSummary> {
    const patch = preparePatch(input);
    const reply = await this.write('mcUpdate', id, [JSON.stringify(patch), nowIso()], `update session ${id}`);
    return this.acknowledge(reply, id, 'updated');
  }

  async updateMessage(sessionId: string, messageId: string, input: MessagePatch): Promise<Message> {
    const patch = prepareMessagePatch(input);
    const reply = await this.write('mcUpdateMessage', sessionId, [messageId, JSON.stringify(patch)], `update a message of session ${sessionId}`);
    if (reply[0] === 'missing-message') {
      throw new MultichatError('not-found', `no such message: ${messageId}`);
    }
    this.checkStatus(reply, sessionId);
    this.changes.emit({ kind: 'updated', sessionId, external: false });
    return this.reader.message(reply[1], sessionKeys(this.connection.spec.prefix, sessionId), messageId);
  }

  /**
   * One script builds the new order list from the one Redis holds, so an append is either in it
   * already (and arranged) or comes after it. A reorder whose reply was lost and that ioredis sends
   * again finds the order already so: it is acknowledged without a second change.
   */
  async reorderMessages(sessionId: string, input: readonly string[]): Promise<void> {
    const order = prepareOrder(input);
    const reply = await this.write('mcReorder', sessionId, order, `reorder the messages of session ${sessionId}`);
    if (reply[0] !== 'unchanged') {
      this.checkStatus(reply, sessionId);
      this.changes.emit({ kind: 'updated', sessionId, external: false });
    }
  }

  async delete(id: string): Promise<boolean> {
    const reply = await this.write('mcDelete', id, [randomBytes(12).toString('base64url')], `delete session ${id}`);
    if (reply[0] === 'missing') {
      return false;
    }
    this.checkStatus(reply, id);
    this.changes.emit({ kind: 'deleted', sessionId: id, external: false });
    return true;
  }

  async search(query: string, options: SearchOptions = {}): Promise<SearchHit[]> {
    parseStoreQuery(query); // a bad query is refused before anything is read
    options.signal?.throwIfAborted();
    return this.searcher.search(query, options);
  }

  onDidChange(listener: ChangeListener): Disposable {
    const subscription = this.changes.on(listener);
    this.feed.start().catch((error: unknown) => this.warnings.report({ kind: 'failure', where: this.spec, what: `live changes: ${String(error)}` }));
    return subscription;
  }

  onDidWarn(listener: WarningListener): Disposable {
    return this.warnings.on(listener);
  }

  onDidIndex(listener: IndexProgressListener): Disposable {
    return this.indexing.on(listener);
  }

  async prepareSearch(): Promise<void> {
    await this.searcher.prepare();
  }

  /** Tells each time the connection drops (ioredis then reconnects by itself) and is ready again. */
  onConnectionChange(listener: (connected: boolean) => void): Disposable {
    const client = this.connection.client;
    const up = (): void => listener(true);
    const down = (): void => listener(false);
    client.on('ready', up);
    client.on('close', down);
    return {
      dispose: () => {
        client.off('ready', up);
        client.off('close', down);
      },
    };
  }

  /** Who wrote the session's latest message, when the message says (what a list of shared sessions shows). */
  lastAuthor(sessionId: string): Promise<string | undefined> {
    return this.reader.lastAuthor(sessionId);
  }

  async access(): Promise<StoreAccess> {
    return { writable: true };
  }

  async verify(options: { repair?: boolean } = {}): Promise<VerifyReport> {
    const repair = options.repair ?? false;
    const report = await verifyRedisStore(this.connection, { repair, writer: this.writer });
    if (repair) {
      // Damage found from now on is news, even where the same words were said before the repair.
      this.warnings.forgetReported();
      const searchRepair = await this.searcher.repair();
      report.repairs.push(...(searchRepair ? [searchRepair] : []));
    }
    return report;
  }

  async close(): Promise<void> {
    if (this.closed) {
      return;
    }
    this.closed = true;
    this.changes.clear();
    this.warnings.clear();
    this.indexing.clear();
    await this.feed.stop();
    await this.searcher.close();
    await this.connection.close();
  }

  private async write(script: ScriptName, sessionId: string, args: readonly (string | number)[], doing: string): Promise<ScriptReply> {
    if (this.closed) {
      throw storeUnavailable(`could not ${doing}: the store is closed`);
    }
    const keys = sessionKeys(this.connection.spec.prefix, sessionId);
    try {
      const scriptKeys = script === 'mcDelete' ? [...keyList(keys), keys.tombstone] : keyList(keys);
      const reply = await this.runWrite(script, scriptKeys, [sessionId, this.writer, this.ttlMs, keys.bell, ...args]);
      return Array.isArray(reply) ? (reply as ScriptReply) : ['unexpected'];
    } catch (error) {
      throw this.connection.failure(error, doing);
    }
  }

  /**
   * Under Sentinel a write also waits for a replica, so that a failover keeps it. A master left
   * without one (its replica dead or promoted away) would make every write wait in vain: then
   * writes go without waiting, and ask again now and then.
   */
  private async runWrite(script: ScriptName, keys: string[], args: (string | number)[]): Promise<unknown> {
    if (this.connection.spec.topology !== 'sentinel' || Date.now() < this.noReplicaUntil) {
      return runScript(this.connection.client, script, keys, args);
    }
    const { reply, replicas } = await runScriptReplicated(this.connection.client, script, keys, args);
    this.noReplicaUntil = replicas > 0 ? 0 : Date.now() + REPLICA_RECHECK_MS;
    return reply;
  }

  private acknowledge(reply: ScriptReply, sessionId: string, kind: 'created' | 'appended' | 'updated'): SessionSummary {
    this.checkStatus(reply, sessionId);
    const parsed = parseSummary(reply[1], sessionId);
    if (!parsed.ok) {
      throw storeUnavailable(`session ${sessionId} was written, but Redis answered with a summary that ${parsed.problem}`);
    }
    this.changes.emit({ kind, sessionId, external: false });
    return parsed.value;
  }

  private checkStatus(reply: ScriptReply, sessionId: string): void {
    switch (reply[0]) {
      case 'ok':
        return;
      case 'missing':
        throw sessionNotFound(sessionId);
      case 'wrongtype':
        throw storeUnavailable(
          `session ${sessionId} cannot be written: Redis holds something else under ${String(reply[1])}; nothing was changed — run "multichat verify --repair" to move it aside`,
        );
      case 'corrupt':
      case 'corrupt-message':
        throw storeUnavailable(`session ${sessionId} is unreadable in Redis; run "multichat verify --repair" to move it aside`);
      default:
        throw storeUnavailable(`Redis gave an unexpected answer for session ${sessionId}: ${String(reply[0])}`);
    }
  }
}

/** The keys a session script takes, in the order scripts/luaCommon.ts documents. */
export function keyList(keys: SessionKeys): string[] {
  return [keys.summaries, keys.recent, keys.expiry, keys.changes, keys.messages, keys.order, keys.creation];
}

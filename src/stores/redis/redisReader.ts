import { Message, Session, SessionSummary, compareSummaries } from '../../core/model';
import { ListOptions, StoreWarning } from '../../core/store';
import { MessagePlace } from '../../core/wordIndex/indexedSearch';
import { RedisConnection } from './redisConnection';
import { KeyOfWrongType, RedisType, describeWrongType, isWrongTypeError, keysOfWrongType } from './keyTypes';
import { BucketKeys, SessionKeys, allBuckets, bucketOf, sessionKeys } from './redisKeys';
import { Parsed, isStoreChange, pairsOf, parseMessage, parseSummary } from './redisRecords';
import { plainSummary } from './plainSummary';
import { ScriptName, runScript } from './scripts/scriptRunner';

// Reads sessions and summaries from Redis, validating everything: a record that fails is left
// out with a warning naming its key (verify reports it, and --repair moves it aside). A key of
// the wrong type makes a whole script fail (WRONGTYPE), so each bucket and each session is read
// on its own: the one with the bad key is left out with a warning naming it, the rest still read.

/** What the change-feed script answers for a feed that cannot be read: empty, so readers rebuild what they derived from it. */
const UNREADABLE_FEED = [[], [], 0, []];

type ScriptRead = { reply: unknown } | { wrong: KeyOfWrongType[] };

/** A bucket's listing as the script answered: `flat` (its summaries, as HGETALL gives them) is left out when `version` is unchanged. */
interface BucketReply {
  expired: string[];
  /** Undefined when the bucket was read around a key of the wrong type: it is read whole next time. */
  version: string | undefined;
  flat: unknown[] | undefined;
}

export class RedisReader {
  private readonly prefix: string;
  /**
   * Summaries already validated, by bucket and by their exact stored JSON, so that a listing
   * validates only what changed since the bucket was last listed (validation is most of a
   * list's time). Holds what the last listing of each bucket saw, no more.
   */
  private readonly validated = new Map<number, Map<string, SessionSummary>>();
  /**
   * Each bucket's last listing: its version (see readScripts.ts LIST_BUCKET) and every valid summary in
   * it, expired or not. A bucket whose version is unchanged is not sent again.
   */
  private readonly listed = new Map<number, { version: string | undefined; summaries: SessionSummary[] }>();
  /** Counts the listings that found a bucket changed. */
  private listedVersion = 0;
  /** Every summary, sorted, as of `version`: a listing that found no bucket changed sorts nothing. */
  private sorted: { version: number; summaries: SessionSummary[] } | undefined;

  constructor(
    private readonly connection: RedisConnection,
    private readonly warn: (warning: StoreWarning) => void,
  ) {
    this.prefix = connection.spec.prefix;
  }

  async get(id: string): Promise<Session | undefined> {
    const keys = sessionKeys(this.prefix, id);
    const read = await this.runTolerant('mcGet', sessionKeyTypes(keys), [id], { doing: `read session ${id}`, sessionId: id });
    const reply = 'reply' in read ? read.reply : undefined;
    if (!Array.isArray(reply)) {
      return undefined;
    }
    const summary = parseSummary(reply[0], id);
    if (!summary.ok) {
      this.warnCorrupt(id, `${keys.summaries} field ${id}`, `the summary ${summary.problem}`);
      return undefined;
    }
    const count = Number(reply[1]);
    const messages: Message[] = [];
    for (let index = 0; index < count; index++) {
      const message = this.validMessage(id, String(reply[2 + index]), reply[2 + count + index]);
      if (message) {
        messages.push(message);
      }
    }
    if (count !== summary.value.messageCount) {
      // Read in one script with the order, so no concurrent append explains it: keys were lost (evicted?).
      this.warnCorrupt(id, `${keys.summaries} field ${id}`, `the summary counts ${summary.value.messageCount} messages, ${keys.order} names ${count}`);
    }
    return { ...sessionFields(summary.value), messages };
  }

  /**
   * The messages at these places (search hits'), one script per bucket, validated like any other;
   * undefined where there is none, or none that is valid (a warning names it).
   */
  async messagesAt(places: readonly MessagePlace[]): Promise<(Message | undefined)[]> {
    const byBucket = new Map<number, number[]>();
    for (const [place, { id }] of places.entries()) {
      const inBucket = byBucket.get(bucketOf(id)) ?? [];
      byBucket.set(bucketOf(id), inBucket);
      inBucket.push(place);
    }
    const messages: (Message | undefined)[] = places.map(() => undefined);
    await Promise.all([...byBucket.values()].map(async (inBucket) => {
      const asked = inBucket.map((place) => places[place]);
      const reply = await this.bucketMessagesAt(asked);
      inBucket.forEach((place, position) => (messages[place] = this.validMessage(asked[position].id, reply[2 * position], reply[2 * position + 1])));
    }));
    return messages;
  }

  private async bucketMessagesAt(asked: readonly MessagePlace[]): Promise<unknown[]> {
    const keys = asked.map(({ id }) => sessionKeys(this.prefix, id));
    const expected: [string, RedisType][] = [[keys[0].summaries, 'hash'], [keys[0].expiry, 'zset'], ...keys.flatMap((session): [string, RedisType][] => [[session.messages, 'hash'], [session.order, 'list']])];
    const args = asked.flatMap(({ id, position }) => [id, position]);
    const read = await this.runTolerant('mcMessagesAt', expected, args, { doing: `read the messages of ${asked.length} search hits` });
    return 'reply' in read && Array.isArray(read.reply) ? (read.reply as unknown[]) : [];
  }

  private validMessage(sessionId: string, messageId: unknown, raw: unknown): Message | undefined {
    if (typeof messageId !== 'string') {
      return undefined;
    }
    const parsed = parseMessage(raw, messageId);
    if (!parsed.ok) {
      const where = `${sessionKeys(this.prefix, sessionId).messages} field ${messageId}`;
      this.warnCorrupt(sessionId, where, raw === null ? 'the message is missing' : `the message ${parsed.problem}`);
    }
    return parsed.ok ? parsed.value : undefined;
  }

  /** A message a script returned, validated like any other. */
  message(raw: unknown, keys: SessionKeys, messageId: string): Message {
    const parsed = parseMessage(raw, messageId);
    if (!parsed.ok) {
      throw this.connection.failure(new Error(`${keys.messages} field ${messageId} ${parsed.problem}`), `read message ${messageId}`);
    }
    return parsed.value;
  }

  async lastAuthor(sessionId: string): Promise<string | undefined> {
    const keys = sessionKeys(this.prefix, sessionId);
    try {
      const last = await this.connection.client.lindex(keys.order, -1);
      const raw = last === null ? null : await this.connection.client.hget(keys.messages, last);
      const parsed = last === null || raw === null ? undefined : parseMessage(raw, last);
      return parsed?.ok ? parsed.value.author : undefined;
    } catch (error) {
      if (isWrongTypeError(error)) {
        return undefined;
      }
      throw this.connection.failure(error, `read the latest message of session ${sessionId}`);
    }
  }

  async list(options: ListOptions = {}): Promise<SessionSummary[]> {
    const firstPage = options.limit !== undefined && options.tag === undefined && options.limit >= 0;
    const summaries = firstPage ? (await this.latest(options.limit ?? 0)).sort(compareSummaries) : await this.sortedSummaries();
    return summaries
      .filter((summary) => options.tag === undefined || summary.tags.includes(options.tag))
      .slice(0, options.limit)
      .map(copySummary);
  }

  /** Every summary in the namespace: one script per bucket, all sent at once. */
  async all(): Promise<SessionSummary[]> {
    return (await Promise.all(allBuckets(this.prefix).map((bucket) => this.validatedBucket(bucket)))).flat().map(copySummary);
  }

  /** The summaries of one bucket's sessions. */
  async bucket(bucket: BucketKeys): Promise<SessionSummary[]> {
    return (await this.validatedBucket(bucket)).map(copySummary);
  }

  /** Every summary, sorted; sorted again only when some bucket changed. */
  private async sortedSummaries(): Promise<SessionSummary[]> {
    const listings = await Promise.all(allBuckets(this.prefix).map((bucket) => this.listBucket(bucket)));
    if (this.sorted?.version !== this.listedVersion) {
      this.sorted = { version: this.listedVersion, summaries: listings.flatMap((listing) => listing.summaries).sort(compareSummaries) };
    }
    const expired = new Set(listings.flatMap((listing) => listing.expired));
    return expired.size === 0 ? this.sorted.summaries : this.sorted.summaries.filter((summary) => !expired.has(summary.id));
  }

  /** A bucket's summaries as validated (not to be changed), expired ones left out. */
  private async validatedBucket(bucket: BucketKeys): Promise<SessionSummary[]> {
    const { summaries, expired } = await this.listBucket(bucket);
    const gone = new Set(expired);
    return gone.size === 0 ? summaries : summaries.filter((summary) => !gone.has(summary.id));
  }

  /** Every valid summary of the bucket (the last listing's, when the bucket is unchanged since), and the ids expired now. */
  private async listBucket(bucket: BucketKeys): Promise<{ summaries: SessionSummary[]; expired: string[] }> {
    const last = this.listed.get(bucket.bucket);
    const reply = await this.bucketReply(bucket, last?.version);
    if (last && reply.flat === undefined) {
      return { summaries: last.summaries, expired: reply.expired };
    }
    const summaries = this.bucketSummaries(reply.flat, bucket);
    this.listed.set(bucket.bucket, { version: reply.version, summaries });
    this.listedVersion++;
    return { summaries, expired: reply.expired };
  }

  /** A bucket's list reply; a key of the wrong type there is warned about (naming it) and read around, without a version. */
  private async bucketReply(bucket: BucketKeys, version: string | undefined): Promise<BucketReply> {
    const expected: [string, RedisType][] = [[bucket.summaries, 'hash'], [bucket.expiry, 'zset'], [bucket.changes, 'stream']];
    const read = await this.runTolerant('mcListBucket', expected, [version ?? ''], { doing: 'list sessions' });
    if ('reply' in read) {
      const [expired, current, flat] = Array.isArray(read.reply) ? (read.reply as unknown[]) : [];
      return { expired: Array.isArray(expired) ? expired.map(String) : [], version: typeof current === 'string' ? current : undefined, flat: Array.isArray(flat) ? flat : undefined };
    }
    if (read.wrong.some((found) => found.key === bucket.summaries)) {
      return { expired: [], version: undefined, flat: [] };
    }
    // The expiry index or the change feed is unreadable: the summaries still are (without the index, expired ones too).
    const summaries = await this.connection.client.hgetall(bucket.summaries).catch((error: unknown) => {
      throw this.connection.failure(error, 'list sessions');
    });
    return { expired: [], version: undefined, flat: Object.entries(summaries).flat() };
  }

  /** The latest `limit` sessions: each bucket's latest `limit`, merged. */
  private async latest(limit: number): Promise<SessionSummary[]> {
    if (limit === 0) {
      return [];
    }
    const buckets = allBuckets(this.prefix);
    const pages = await Promise.all(buckets.map((bucket) => this.firstPage(bucket, limit)));
    return pages.flat();
  }

  /** One bucket's latest sessions; all of its sessions when its recent index is unreadable. */
  private async firstPage(bucket: BucketKeys, limit: number): Promise<SessionSummary[]> {
    const expected: [string, RedisType][] = [[bucket.summaries, 'hash'], [bucket.recent, 'zset'], [bucket.expiry, 'zset']];
    const read = await this.runTolerant('mcFirstPage', expected, [limit], { doing: 'list sessions' });
    if (!('reply' in read)) {
      return this.bucket(bucket);
    }
    return pairsOf(read.reply).flatMap(([id, raw]) => this.summaryFrom(id, raw, bucket));
  }

  private bucketSummaries(flat: unknown[] | undefined, bucket: BucketKeys): SessionSummary[] {
    const known = this.validated.get(bucket.bucket);
    const seen = new Map<string, SessionSummary>();
    const summaries: SessionSummary[] = [];
    for (const [id, raw] of pairsOf(flat)) {
      const cached = typeof raw === 'string' ? known?.get(raw) : undefined;
      const parsed = cached?.id === id ? { ok: true as const, value: cached } : validSummary(raw, id);
      if (parsed.ok) {
        seen.set(raw as string, parsed.value);
        summaries.push(parsed.value);
      } else {
        this.warnCorrupt(id, `${bucket.summaries} field ${id}`, `the summary ${parsed.problem}`);
      }
    }
    this.validated.set(bucket.bucket, seen);
    return summaries;
  }

  /** One summary of the first page: `id` is its field in the summaries hash, as a whole listing names it. */
  private summaryFrom(id: string, raw: unknown, bucket: BucketKeys): SessionSummary[] {
    const cached = typeof raw === 'string' ? this.validated.get(bucket.bucket)?.get(raw) : undefined;
    if (cached?.id === id) {
      return [cached];
    }
    const parsed = validSummary(raw, id);
    if (parsed.ok) {
      return [parsed.value];
    }
    this.warnCorrupt(id, `${bucket.summaries} field ${id}`, `the summary ${parsed.problem}`);
    return [];
  }

  /** Entries of a change feed that the store did not write: the feed's readers skip them. */
  private warnForeignEntries(feed: string, reply: unknown): void {
    const entries = Array.isArray(reply) && Array.isArray(reply[0]) ? (reply[0] as unknown[]) : [];
    for (const entry of entries) {
      if (!Array.isArray(entry) || !isStoreChange(entry[1])) {
        const id = Array.isArray(entry) ? String(entry[0]) : '?';
        this.warnCorrupt(undefined, `${feed} entry ${id}`, 'is not a change the store wrote; skipped');
      }
    }
  }

  private warnCorrupt(sessionId: string | undefined, where: string, what: string): void {
    this.warn({ kind: 'corrupt', sessionId, where: `redis ${where}`, what });
  }

  async run(script: ScriptName, keys: string[], args: (string | number)[], doing: string): Promise<unknown> {
    if (script === 'mcChangesSince') {
      // A change feed of the wrong type must not stop search or live changes in the other buckets.
      const read = await this.runTolerant(script, [[keys[0], 'stream'], [keys[1], 'zset']], args, { doing });
      if (!('reply' in read)) {
        return UNREADABLE_FEED;
      }
      this.warnForeignEntries(keys[0], read.reply);
      return read.reply;
    }
    try {
      return await runScript(this.connection.client, script, keys, args);
    } catch (error) {
      throw this.connection.failure(error, doing);
    }
  }

  /**
   * Runs a read script on keys of the given types. When one holds another type (WRONGTYPE), warns
   * naming each such key and answers which they were, instead of failing.
   */
  private async runTolerant(script: ScriptName, expected: [string, RedisType][], args: (string | number)[], context: { doing: string; sessionId?: string }): Promise<ScriptRead> {
    try {
      return { reply: await runScript(this.connection.client, script, expected.map(([key]) => key), args) };
    } catch (error) {
      if (!isWrongTypeError(error)) {
        throw this.connection.failure(error, context.doing);
      }
      const wrong = await keysOfWrongType(this.connection.client, expected).catch((failure: unknown) => {
        throw this.connection.failure(failure, context.doing);
      });
      if (wrong.length === 0) {
        throw this.connection.failure(error, context.doing);
      }
      wrong.forEach((found) => this.warnCorrupt(context.sessionId, found.key, `${describeWrongType(found)}; what it holds is left out`));
      return { wrong };
    }
  }
}

/** The keys the session scripts read, with the type each must hold. */
function sessionKeyTypes(keys: SessionKeys): [string, RedisType][] {
  return [[keys.summaries, 'hash'], [keys.expiry, 'zset'], [keys.messages, 'hash'], [keys.order, 'list']];
}

/** parseSummary, with the plain shape the store's scripts write checked quickly first (plainSummary.ts). */
function validSummary(raw: unknown, id: string): Parsed<SessionSummary> {
  const plain = plainSummary(raw, id);
  return plain ? { ok: true, value: plain } : parseSummary(raw, id);
}

/** Callers own what they are given: the validated summaries stay as they were. */
function copySummary(summary: SessionSummary): SessionSummary {
  const { id, title, createdAt, updatedAt, lastMessageAt, untitled, tags, pinned, source, messageCount } = summary;
  return { id, title, createdAt, updatedAt, lastMessageAt, untitled, tags: [...tags], pinned, source, messageCount };
}

function sessionFields(summary: SessionSummary): Omit<Session, 'messages'> {
  const { id, title, createdAt, updatedAt, lastMessageAt, untitled, tags, pinned, source } = summary;
  return { id, title, createdAt, updatedAt, lastMessageAt, untitled, tags, pinned, source };
}

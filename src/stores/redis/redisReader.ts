import { Message, Session, SessionSummary, compareSummaries } from '../../core/model';
import { ListOptions, StoreWarning } from '../../core/store';
import { RedisConnection } from './redisConnection';
import { BucketKeys, SessionKeys, allBuckets, sessionKeys } from './redisKeys';
import { Parsed, pairsOf, parseMessage, parseSummary } from './redisRecords';
import { plainSummary } from './plainSummary';
import { ScriptName, runScript } from './scripts/scriptRunner';

// Reads sessions and summaries from Redis, validating everything: a record that fails is left
// out with a warning naming its key (verify reports it, and --repair moves it aside).

export class RedisReader {
  private readonly prefix: string;
  /**
   * Summaries already validated, by bucket and by their exact stored JSON, so that a listing
   * validates only what changed since the bucket was last listed (validation is most of a
   * list's time). Holds what the last listing of each bucket saw, no more.
   */
  private readonly validated = new Map<number, Map<string, SessionSummary>>();
  /** Each bucket's last listing: the reply as it came, and the summaries validated from it. */
  private readonly listed = new Map<number, { reply: unknown; summaries: SessionSummary[] }>();
  /** Counts the listings whose reply differed from the bucket's last one. */
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
    const reply = await this.run('mcGet', [keys.summaries, keys.expiry, keys.messages, keys.order], [id], `read session ${id}`);
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
      const messageId = String(reply[2 + index]);
      const parsed = parseMessage(reply[2 + count + index], messageId);
      if (parsed.ok) {
        messages.push(parsed.value);
      } else {
        this.warnCorrupt(id, `${keys.messages} field ${messageId}`, reply[2 + count + index] === null ? 'the message is missing' : `the message ${parsed.problem}`);
      }
    }
    return { ...sessionFields(summary.value), messages };
  }

  /** A message a script returned, validated like any other. */
  message(raw: unknown, keys: SessionKeys, messageId: string): Message {
    const parsed = parseMessage(raw, messageId);
    if (!parsed.ok) {
      throw this.connection.failure(new Error(`${keys.messages} field ${messageId} ${parsed.problem}`), `read message ${messageId}`);
    }
    return parsed.value;
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

  /** Every summary, sorted; sorted again only when some bucket's reply changed. */
  private async sortedSummaries(): Promise<SessionSummary[]> {
    const buckets = await Promise.all(allBuckets(this.prefix).map((bucket) => this.validatedBucket(bucket)));
    if (this.sorted?.version !== this.listedVersion) {
      this.sorted = { version: this.listedVersion, summaries: buckets.flat().sort(compareSummaries) };
    }
    return this.sorted.summaries;
  }

  /** A bucket's summaries as validated (not to be changed); a reply like the last one is not looked at again. */
  private async validatedBucket(bucket: BucketKeys): Promise<SessionSummary[]> {
    const reply = await this.run('mcListBucket', [bucket.summaries, bucket.expiry], [], 'list sessions');
    const last = this.listed.get(bucket.bucket);
    if (last && sameReply(last.reply, reply)) {
      return last.summaries;
    }
    const summaries = this.bucketSummaries(reply, bucket);
    this.listed.set(bucket.bucket, { reply, summaries });
    this.listedVersion++;
    return summaries;
  }

  /** The latest `limit` sessions: each bucket's latest `limit`, merged. */
  private async latest(limit: number): Promise<SessionSummary[]> {
    if (limit === 0) {
      return [];
    }
    const buckets = allBuckets(this.prefix);
    const replies = await Promise.all(buckets.map((bucket) => this.run('mcFirstPage', [bucket.summaries, bucket.recent, bucket.expiry], [limit], 'list sessions')));
    return replies.flatMap((reply, index) => (Array.isArray(reply) ? reply : []).flatMap((raw) => this.summaryFrom(raw, buckets[index])));
  }

  private bucketSummaries(reply: unknown, bucket: BucketKeys): SessionSummary[] {
    const [expiredIds, flat] = Array.isArray(reply) ? (reply as unknown[]) : [[], []];
    const expired = new Set((Array.isArray(expiredIds) ? expiredIds : []).map(String));
    const known = this.validated.get(bucket.bucket);
    const seen = new Map<string, SessionSummary>();
    const summaries: SessionSummary[] = [];
    for (const [id, raw] of pairsOf(flat)) {
      if (expired.has(id)) {
        continue;
      }
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

  private summaryFrom(raw: unknown, bucket: BucketKeys): SessionSummary[] {
    const cached = typeof raw === 'string' ? this.validated.get(bucket.bucket)?.get(raw) : undefined;
    if (cached) {
      return [cached];
    }
    const id = idIn(raw);
    const parsed = validSummary(raw, id ?? '');
    if (parsed.ok) {
      return [parsed.value];
    }
    this.warnCorrupt(id, `${bucket.summaries} field ${id ?? '?'}`, `the summary ${parsed.problem}`);
    return [];
  }

  private warnCorrupt(sessionId: string | undefined, where: string, what: string): void {
    this.warn({ kind: 'corrupt', sessionId, where: `redis ${where}`, what });
  }

  async run(script: ScriptName, keys: string[], args: (string | number)[], doing: string): Promise<unknown> {
    try {
      return await runScript(this.connection.client, script, keys, args);
    } catch (error) {
      throw this.connection.failure(error, doing);
    }
  }
}

/** The id a summary claims, before it is validated (to name it in a warning). */
function idIn(raw: unknown): string | undefined {
  try {
    const value = typeof raw === 'string' ? (JSON.parse(raw) as { id?: unknown }) : undefined;
    return typeof value?.id === 'string' ? value.id : undefined;
  } catch {
    return undefined;
  }
}

/** Whether two replies of the listing script hold the same strings in the same order (Redis keeps an unchanged hash's order). */
function sameReply(a: unknown, b: unknown): boolean {
  if (!Array.isArray(a) || !Array.isArray(b)) {
    return a === b;
  }
  return a.length === b.length && a.every((item, index) => sameReply(item, b[index]));
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

import { SessionSummary } from '../../../core/model';
import { RedisType } from '../keyTypes';
import { BucketKeys, bucketOf, quarantineKey, sessionKeys } from '../redisKeys';
import { isStoreChange, parseSummary } from '../redisRecords';
import { verifySession } from './sessionVerify';
import { FieldToMove, VerifyContext, checkKeyTypes, moveEntriesAside, moveFieldsAside, problem, run, someOf } from './verifyContext';

// One bucket: its keys of the right types, every summary readable and in its right bucket, each
// session's keys (sessionVerify.ts), keys of sessions that have no summary, the recent and expiry
// indexes in step with the summaries, and a change feed holding only the store's own entries.
// With repair, in an order that lets each step build on the last: wrong keys aside first, then
// unreadable summaries, then sessions (orphans get summaries back), then the indexes, rebuilt from
// the summaries as they are now.

interface BucketState {
  types: Record<'summaries' | 'recent' | 'expiry' | 'changes' | 'log', string>;
  /** The server's time (ms). */
  now: number;
  summaries: { id: string; raw: unknown; sha: string }[];
  recent: { member: string; score: number }[];
  /** Session id → deadline (ms). */
  expiry: Map<string, number>;
}

async function inspectBucket(ctx: VerifyContext, bucket: BucketKeys): Promise<BucketState> {
  const keys = [bucket.summaries, bucket.recent, bucket.expiry, bucket.changes, quarantineKey(ctx.prefix, bucket.bucket)];
  const reply = await run(ctx, 'mcInspectBucket', keys, []);
  const [types, now, triples, recent, expiry] = (Array.isArray(reply) ? reply : []) as unknown[][];
  const [summaries, recentType, expiryType, changes, log] = types.map(String);
  const state: BucketState = { types: { summaries, recent: recentType, expiry: expiryType, changes, log }, now: Number(now), summaries: [], recent: [], expiry: new Map() };
  for (let index = 0; index + 2 < triples.length; index += 3) {
    state.summaries.push({ id: String(triples[index]), raw: triples[index + 1], sha: String(triples[index + 2]) });
  }
  for (let index = 0; index + 1 < recent.length; index += 2) {
    state.recent.push({ member: String(recent[index]), score: Number(recent[index + 1]) });
  }
  for (let index = 0; index + 1 < expiry.length; index += 2) {
    state.expiry.set(String(expiry[index]), Number(expiry[index + 1]));
  }
  return state;
}

function typedKeys(ctx: VerifyContext, bucket: BucketKeys, state: BucketState): { key: string; expected: RedisType; actual: string }[] {
  return [
    { key: bucket.summaries, expected: 'hash', actual: state.types.summaries },
    { key: bucket.recent, expected: 'zset', actual: state.types.recent },
    { key: bucket.expiry, expected: 'zset', actual: state.types.expiry },
    { key: bucket.changes, expected: 'stream', actual: state.types.changes },
    { key: quarantineKey(ctx.prefix, bucket.bucket), expected: 'hash', actual: state.types.log },
  ];
}

/** The readable summaries; reports the others and, with repair, moves them aside. */
async function checkSummaries(ctx: VerifyContext, bucket: BucketKeys, state: BucketState): Promise<{ valid: Map<string, SessionSummary>; moved: string[] }> {
  const valid = new Map<string, SessionSummary>();
  const bad: FieldToMove[] = [];
  for (const entry of state.summaries) {
    const parsed = parseSummary(entry.raw, entry.id);
    const misplaced = parsed.ok && bucketOf(entry.id) !== bucket.bucket;
    if (parsed.ok && !misplaced) {
      valid.set(entry.id, parsed.value);
      continue;
    }
    const what = parsed.ok ? `the summary belongs in bucket ${bucketOf(entry.id)}, where the store looks for it` : `the summary ${parsed.problem}`;
    problem(ctx, `${bucket.summaries} field ${entry.id}`, what, entry.id);
    bad.push({ field: entry.id, sha: entry.sha });
  }
  if (ctx.repair && bad.length > 0) {
    await moveFieldsAside(ctx, bucket.bucket, bucket.summaries, bad, 'unreadable summaries');
  }
  return { valid, moved: ctx.repair ? bad.map((each) => each.field) : [] };
}

/** Reports index entries out of step with the summaries; true when there were any. */
function checkIndexes(ctx: VerifyContext, bucket: BucketKeys, state: BucketState, valid: ReadonlyMap<string, SessionSummary>): boolean {
  const before = ctx.problems.length;
  const named = new Set(state.summaries.map((entry) => entry.id));
  const live = (id: string): boolean => !((state.expiry.get(id) ?? Infinity) < state.now);
  if (state.types.recent === 'zset' || state.types.recent === 'none') {
    const members = new Set(state.recent.map((each) => each.member));
    const missing = [...valid.values()].filter((summary) => live(summary.id) && !members.has(`${summary.lastMessageAt}\t${summary.id}`));
    if (missing.length > 0) {
      problem(ctx, bucket.recent, `lacks ${missing.length} session(s), which the first page of a list leaves out: ${someOf(missing.map((summary) => summary.id))}`);
    }
    const stale = state.recent.filter(({ member, score }) => {
      const id = member.slice(member.indexOf('\t') + 1);
      const summary = valid.get(id);
      return score !== 0 || !member.includes('\t') || !named.has(id) || (summary !== undefined && live(id) && member !== `${summary.lastMessageAt}\t${id}`);
    });
    if (stale.length > 0) {
      problem(ctx, bucket.recent, `holds ${stale.length} member(s) that match no summary: ${someOf(stale.map((each) => JSON.stringify(each.member)))}`);
    }
  }
  const unknown = [...state.expiry.keys()].filter((id) => !named.has(id));
  if (unknown.length > 0) {
    problem(ctx, bucket.expiry, `holds deadlines of ${unknown.length} session(s) that have no summary: ${someOf(unknown)}`);
  }
  return ctx.problems.length > before;
}

async function rebuildIndexes(ctx: VerifyContext, bucket: BucketKeys): Promise<void> {
  const reply = await run(ctx, 'mcRebuildIndex', [bucket.summaries, bucket.recent, bucket.expiry], []);
  const [removed, added, dropped] = (Array.isArray(reply) ? reply : []).map(Number);
  ctx.repairs.push(`rebuilt ${bucket.recent} from the summaries (${removed} member(s) removed, ${added} added) and dropped ${dropped} deadline(s) of sessions without a summary from ${bucket.expiry}`);
}

/** Entries of the change feed that the store did not write (it skips them; verify reports them). */
async function checkFeed(ctx: VerifyContext, bucket: BucketKeys): Promise<void> {
  const entries = await ctx.connection.client.xrange(bucket.changes, '-', '+').catch((error: unknown) => {
    throw ctx.connection.failure(error, 'verify the store');
  });
  const foreign = entries.filter(([, fields]) => !isStoreChange(fields)).map(([id]) => id);
  if (foreign.length === 0) {
    return;
  }
  problem(ctx, bucket.changes, `holds ${foreign.length} entr${foreign.length === 1 ? 'y' : 'ies'} the store did not write: ${someOf(foreign)}`);
  if (ctx.repair) {
    await moveEntriesAside(ctx, bucket.bucket, bucket.changes, foreign, 'change-feed entries the store did not write');
  }
}

/** Each live session with a summary, then each whose keys have none (or had an unreadable one, moved aside). */
async function verifySessions(ctx: VerifyContext, bucket: BucketKeys, state: BucketState, found: { valid: ReadonlyMap<string, SessionSummary>; moved: readonly string[]; withKeys: ReadonlySet<string> }): Promise<void> {
  for (const id of found.valid.keys()) {
    if (!((state.expiry.get(id) ?? Infinity) < state.now)) {
      await verifySession(ctx, { id, keys: sessionKeys(ctx.prefix, id), bucket: bucket.bucket, orphan: false });
    }
  }
  const named = new Set(state.summaries.map((entry) => entry.id));
  for (const id of [...found.withKeys].filter((each) => !named.has(each) || found.moved.includes(each))) {
    await verifySession(ctx, { id, keys: sessionKeys(ctx.prefix, id), bucket: bucket.bucket, orphan: true });
  }
}

/** Verifies (and with repair, repairs) one bucket; `withKeys` are the sessions whose keys exist in it. */
export async function verifyBucket(ctx: VerifyContext, bucket: BucketKeys, withKeys: ReadonlySet<string>): Promise<void> {
  let state = await inspectBucket(ctx, bucket);
  if ((await checkKeyTypes(ctx, bucket.bucket, typedKeys(ctx, bucket, state))) && ctx.repair) {
    state = await inspectBucket(ctx, bucket);
  }
  const { valid, moved } = await checkSummaries(ctx, bucket, state);
  await verifySessions(ctx, bucket, state, { valid, moved, withKeys });
  const outOfStep = checkIndexes(ctx, bucket, state, valid);
  if (ctx.repair && (outOfStep || moved.length > 0)) {
    await rebuildIndexes(ctx, bucket);
  }
  if (state.types.changes === 'stream') {
    await checkFeed(ctx, bucket);
  }
}

import { Message, SessionSummary } from '../../../core/model';
import { SessionKeys, quarantineKey } from '../redisKeys';
import { encodeSummary, parseMessage, parseSummary } from '../redisRecords';
import { keyList } from '../redisStore';
import { recounted, recovered } from './rebuiltSummaries';
import { VerifyContext, checkKeyTypes, logEntry, problem, quarantineDestination, run, someOf } from './verifyContext';

// One session's keys against its summary: every message readable, the order list naming each
// message once and nothing else, the summary counting what is there, the creation key present.
// A session whose keys an evicting Redis dropped shows up here (its summary counts messages that
// are gone). --repair moves unreadable messages aside, rebuilds the order from what is readable,
// recounts the summary, and gives keys left without a summary (an orphan: its index entry was
// lost or unreadable) a summary rebuilt from its messages, so the session is listed again.

export interface SessionTarget {
  id: string;
  keys: SessionKeys;
  bucket: number;
  /** True when the session's keys were found without a summary. */
  orphan: boolean;
}

interface Inspection {
  types: { messages: string; order: string; creation: string };
  summaryRaw: unknown;
  summarySha: string;
  order: string[];
  orderSha: string;
  messages: { id: string; raw: unknown; sha: string }[];
}

interface OrderPlan {
  valid: Map<string, Message>;
  bad: { id: string; sha: string; problem: string }[];
  dangling: string[];
  repeated: string[];
  /** Readable messages the order does not name, by time. */
  unordered: Message[];
  order: string[];
}

async function inspect(ctx: VerifyContext, target: SessionTarget): Promise<Inspection> {
  const { keys } = target;
  const reply = await run(ctx, 'mcInspectSession', [keys.summaries, keys.messages, keys.order, keys.creation], [target.id]);
  const [types, summaryRaw, summarySha, order, triples, orderSha] = Array.isArray(reply) ? (reply as unknown[]) : [];
  const [messages, orderType, creation] = (Array.isArray(types) ? types : []).map(String);
  const flat = Array.isArray(triples) ? (triples as unknown[]) : [];
  const found: Inspection['messages'] = [];
  for (let index = 0; index + 2 < flat.length; index += 3) {
    found.push({ id: String(flat[index]), raw: flat[index + 1], sha: String(flat[index + 2]) });
  }
  return {
    types: { messages, order: orderType, creation },
    summaryRaw: summaryRaw === null || summaryRaw === false ? undefined : summaryRaw, // Lua's false arrives as nil
    summarySha: typeof summarySha === 'string' ? summarySha : '',
    order: (Array.isArray(order) ? order : []).map(String),
    orderSha: typeof orderSha === 'string' ? orderSha : '',
    messages: found,
  };
}

function planOrder(found: Inspection): OrderPlan {
  const plan: OrderPlan = { valid: new Map(), bad: [], dangling: [], repeated: [], unordered: [], order: [] };
  for (const message of found.messages) {
    const parsed = parseMessage(message.raw, message.id);
    if (parsed.ok) {
      plan.valid.set(message.id, parsed.value);
    } else {
      plan.bad.push({ id: message.id, sha: message.sha, problem: parsed.problem });
    }
  }
  const named = new Set<string>();
  const badIds = new Set(plan.bad.map((bad) => bad.id));
  for (const id of found.order) {
    if (named.has(id)) {
      plan.repeated.push(id);
    } else if (plan.valid.has(id)) {
      plan.order.push(id);
    } else if (!badIds.has(id)) {
      plan.dangling.push(id);
    }
    named.add(id);
  }
  plan.unordered = [...plan.valid.values()]
    .filter((message) => !named.has(message.id))
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
  plan.order.push(...plan.unordered.map((message) => message.id));
  return plan;
}

/** Writes down what is wrong with the session; true when --repair has something to do. */
function reportPlan(ctx: VerifyContext, target: SessionTarget, found: Inspection, summary: SessionSummary | undefined, plan: OrderPlan): boolean {
  const disordered = reportOrder(ctx, target, plan);
  if (!summary) {
    problem(ctx, target.keys.summaries, `has no summary of session ${target.id}, whose keys hold ${plan.valid.size} message(s): it is not listed (${EVICTION_HINT})`, target.id);
    return true;
  }
  return reportSummary(ctx, target, found, summary) || disordered;
}

/** The messages and order list; true when any is wrong. */
function reportOrder(ctx: VerifyContext, target: SessionTarget, plan: OrderPlan): boolean {
  const { keys, id } = target;
  plan.bad.forEach((bad) => problem(ctx, `${keys.messages} field ${bad.id}`, `the message ${bad.problem}`, id));
  if (plan.dangling.length > 0) {
    problem(ctx, keys.order, `names ${plan.dangling.length} message(s) that ${keys.messages} does not hold: ${someOf(plan.dangling)}`, id);
  }
  if (plan.repeated.length > 0) {
    problem(ctx, keys.order, `names ${plan.repeated.length} message(s) more than once: ${someOf(plan.repeated)}`, id);
  }
  if (plan.unordered.length > 0) {
    problem(ctx, keys.messages, `holds ${plan.unordered.length} message(s) that ${keys.order} does not name: ${someOf(plan.unordered.map((message) => message.id))}`, id);
  }
  return disorder(plan) > 0;
}

function disorder(plan: OrderPlan): number {
  return plan.bad.length + plan.dangling.length + plan.repeated.length + plan.unordered.length;
}

/** The summary's count and the creation key; true when either is wrong. */
function reportSummary(ctx: VerifyContext, target: SessionTarget, found: Inspection, summary: SessionSummary): boolean {
  const { keys, id } = target;
  const missingCreation = found.types.creation === 'none';
  if (missingCreation) {
    problem(ctx, keys.creation, `is missing (${EVICTION_HINT})`, id);
  }
  const miscounted = summary.messageCount !== found.order.length;
  if (miscounted) {
    const gone = found.types.messages === 'none' && found.types.order === 'none';
    problem(ctx, `${keys.summaries} field ${id}`, gone ? `the summary counts ${summary.messageCount} messages, but their keys (${keys.messages}, ${keys.order}) are gone: ${EVICTION_HINT}` : `the summary counts ${summary.messageCount} messages, ${keys.order} names ${found.order.length}`, id);
  }
  return missingCreation || miscounted;
}

const EVICTION_HINT = 'an evicting Redis may have dropped keys: run the namespace with maxmemory-policy noeviction';

/** Checks one session's keys; with repair, fixes what it found. */
export async function verifySession(ctx: VerifyContext, target: SessionTarget): Promise<void> {
  let found = await inspect(ctx, target);
  const { keys } = target;
  const typed = [
    { key: keys.messages, expected: 'hash', actual: found.types.messages },
    { key: keys.order, expected: 'list', actual: found.types.order },
    { key: keys.creation, expected: 'string', actual: found.types.creation },
  ] as const;
  if (await checkKeyTypes(ctx, target.bucket, typed, target.id)) {
    if (!ctx.repair) {
      return; // the rest cannot be read until those keys are moved aside
    }
    found = await inspect(ctx, target);
  }
  const summary = summaryNow(found, target);
  if (summary === 'skip') {
    return;
  }
  const plan = planOrder(found);
  if (reportPlan(ctx, target, found, summary, plan) && ctx.repair) {
    await repairSession(ctx, target, found, summary, plan);
  }
}

/**
 * The summary as the inspection read it (undefined for an orphan's), or 'skip' when a client
 * wrote or deleted the session since the scan (a bad summary is the bucket's to report).
 */
function summaryNow(found: Inspection, target: SessionTarget): SessionSummary | undefined | 'skip' {
  if (found.summaryRaw === undefined) {
    const gone = Object.values(found.types).every((type) => type === 'none');
    return target.orphan && !gone ? undefined : 'skip';
  }
  const parsed = parseSummary(found.summaryRaw, target.id);
  return parsed.ok && !target.orphan ? parsed.value : 'skip';
}

async function repairSession(ctx: VerifyContext, target: SessionTarget, found: Inspection, summary: SessionSummary | undefined, plan: OrderPlan): Promise<void> {
  const { keys, id } = target;
  const messages = plan.order.map((messageId) => plan.valid.get(messageId)!);
  const reordered = disorder(plan) > 0;
  const next = summary ? recounted(summary, messages, reordered) : recovered(id, messages);
  const destination = quarantineDestination(ctx, target.bucket);
  const reply = await run(ctx, 'mcRepairSession', [...keyList(keys), destination, quarantineKey(ctx.prefix, target.bucket)], [
    id, ctx.writer, 0, keys.bell,
    logEntry(keys.messages, 'unreadable messages'), found.summarySha, found.orderSha, encodeSummary(next),
    plan.bad.length, ...plan.bad.flatMap((bad) => [bad.id, bad.sha]), ...plan.order,
  ]);
  if (!Array.isArray(reply) || reply[0] !== 'ok') {
    ctx.repairs.push(`left session ${id} as it is: it changed while verify ran (run verify again)`);
    return;
  }
  const done = [
    plan.bad.length > 0 ? `moved ${plan.bad.length} unreadable message(s) aside to ${destination}` : '',
    plan.dangling.length + plan.repeated.length > 0 ? `dropped ${plan.dangling.length + plan.repeated.length} missing or repeated id(s) from its order` : '',
    plan.unordered.length > 0 ? `put ${plan.unordered.length} message(s) its order did not name back at its end, by time` : '',
    summary ? `its summary now counts ${messages.length} message(s)` : `rebuilt its missing summary from its ${messages.length} message(s)`,
  ];
  ctx.repairs.push(`session ${id}: ${done.filter(Boolean).join('; ')}`);
}

import { randomBytes } from 'node:crypto';
import { StoreProblem } from '../../../core/store';
import { RedisConnection } from '../redisConnection';
import { quarantineKey } from '../redisKeys';
import { RedisType, describeWrongType } from '../keyTypes';
import { ScriptName, runScript } from '../scripts/scriptRunner';

// What every check of `verify` shares: where problems and repairs are written down, how scripts
// run (a failure says what verify was doing), and how malformed data is moved aside. Nothing is
// ever deleted: a key is renamed into the bucket's quarantine, a field or stream entry copied into
// a quarantine hash, and the bucket's quarantine log (HGETALL <prefix>:{<prefix>:bNN}:quarantine)
// says for each quarantine key where its content came from, why, and when.

export interface VerifyContext {
  connection: RedisConnection;
  prefix: string;
  repair: boolean;
  /** The store's writer id: repairs appear in the change feed as this client's changes. */
  writer: string;
  problems: StoreProblem[];
  repairs: string[];
}

let moves = 0;

export function problem(ctx: VerifyContext, where: string, what: string, sessionId?: string): void {
  ctx.problems.push({ where: `redis ${where}`, what, ...(sessionId === undefined ? {} : { sessionId }) });
}

export async function run(ctx: VerifyContext, script: ScriptName, keys: readonly string[], args: readonly (string | number)[]): Promise<unknown> {
  try {
    return await runScript(ctx.connection.client, script, keys, args);
  } catch (error) {
    throw ctx.connection.failure(error, ctx.repair ? 'repair the store' : 'verify the store');
  }
}

/** A fresh quarantine key of the bucket: `<quarantine log key>:<ms>-<random>-<n>`. */
export function quarantineDestination(ctx: VerifyContext, bucket: number): string {
  return `${quarantineKey(ctx.prefix, bucket)}:${Date.now()}-${randomBytes(3).toString('hex')}-${++moves}`;
}

/** The log's record of one move. */
export function logEntry(from: string, what: string): string {
  return JSON.stringify({ from, what, at: new Date().toISOString() });
}

/** Renames a key of the wrong type (or unreadable as a whole) into quarantine, if it still holds that type. */
export async function moveKeyAside(ctx: VerifyContext, bucket: number, key: string, type: string, what: string): Promise<void> {
  const destination = quarantineDestination(ctx, bucket);
  const moved = await run(ctx, 'mcQuarantineKey', [key, destination, quarantineKey(ctx.prefix, bucket)], [type, logEntry(key, what)]);
  ctx.repairs.push(Number(moved) === 1 ? `moved ${key} aside to ${destination} (it ${what})` : `left ${key} as it is: it changed while verify ran`);
}

export interface FieldToMove {
  field: string;
  /** sha1 of the value verify read: the field moves only if it still holds it. */
  sha: string;
}

/** Moves fields of a hash into one quarantine hash; says how many moved. */
export async function moveFieldsAside(ctx: VerifyContext, bucket: number, key: string, fields: readonly FieldToMove[], what: string): Promise<void> {
  const destination = quarantineDestination(ctx, bucket);
  const pairs = fields.flatMap((field) => [field.field, field.sha]);
  const moved = Number(await run(ctx, 'mcQuarantineFields', [key, destination, quarantineKey(ctx.prefix, bucket)], [logEntry(key, what), ...pairs]));
  ctx.repairs.push(`moved ${moved} of ${fields.length} ${what} from ${key} aside to ${destination}`);
}

/** Moves entries of a stream (fields as JSON) into one quarantine hash. */
export async function moveEntriesAside(ctx: VerifyContext, bucket: number, key: string, ids: readonly string[], what: string): Promise<void> {
  const destination = quarantineDestination(ctx, bucket);
  const moved = Number(await run(ctx, 'mcQuarantineEntries', [key, destination, quarantineKey(ctx.prefix, bucket)], [logEntry(key, what), ...ids]));
  ctx.repairs.push(`moved ${moved} ${what} from ${key} aside to ${destination}`);
}

export interface TypedKey {
  key: string;
  expected: RedisType;
  actual: string;
}

/** The problems (and with repair, the moves) for keys of the wrong type; true when any was found. */
export async function checkKeyTypes(ctx: VerifyContext, bucket: number, keys: readonly TypedKey[], sessionId?: string): Promise<boolean> {
  const wrong = keys.filter((each) => each.actual !== 'none' && each.actual !== each.expected);
  for (const each of wrong) {
    const what = describeWrongType(each);
    problem(ctx, each.key, `${what}: the store cannot read it`, sessionId);
    if (ctx.repair) {
      await moveKeyAside(ctx, bucket, each.key, each.actual, what);
    }
  }
  return wrong.length > 0;
}

/** Up to five items of a list, for a problem line: "a, b, c and 4 more". */
export function someOf(items: readonly string[]): string {
  const shown = items.slice(0, 5).join(', ');
  return items.length > 5 ? `${shown} and ${items.length - 5} more` : shown;
}

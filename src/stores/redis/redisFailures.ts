import { MultichatError, isMultichatError } from '../../core/errors';
import { COMMAND_TIMEOUT_MS } from './redisClientOptions';
import { describeRedisTarget, errorFacts, explainRedisError, formatEndpoints } from './redisErrorReasons';
import { RedisSpec } from './redisSpec';

// What went wrong with Redis, in one plain sentence that names the server and never the password.
// ioredis often rejects with nothing better than "Connection is closed." while the real cause (WRONGPASS,
// a TLS certificate problem, ECONNREFUSED…) went to a client's `error` event: the connection records
// those events and hands them here, newest first, with what a diagnostic connection found, if one ran.
// The ioredis error never travels on as a `cause`: a ReplyError to AUTH or HELLO carries the command's
// arguments, the password among them. The cause is a plain copy of a message and code, password masked.

/** An error, and whom it came from when that is more precise than the spec ("the cluster node at …"). */
export interface ObservedError {
  error: unknown;
  subject?: string;
}

export interface FailureContext {
  spec: RedisSpec;
  /** What the clients reported on their `error` events lately, newest first. */
  events?: ObservedError[];
  /** What a diagnostic connection to the endpoints met (see redisDiagnosis.ts). */
  diagnosis?: ObservedError;
}

interface Explanation {
  reason: string;
  /** The error the reason comes from (the cause the MultichatError carries, sanitized). */
  source: unknown;
  /** False when nothing said why: the reason is only "it failed" or "it timed out". */
  explained: boolean;
}

const TIMED_OUT = /^(Command timed out|Socket timeout)/;

/** The error inside a wrapper: a cluster's last node error, or the "Last error: …" a message quotes. */
function nestedError(observed: ObservedError, spec: RedisSpec): ObservedError {
  const lastNodeError = (observed.error as { lastNodeError?: unknown } | undefined)?.lastNodeError;
  if (lastNodeError) {
    return { error: lastNodeError, subject: observed.subject };
  }
  const message = errorFacts(observed.error).message;
  const quoted = /Last error: (?:[A-Za-z]*Error: )?(.+)$/s.exec(message)?.[1];
  if (quoted === undefined) {
    return { error: undefined };
  }
  const subject = /sentinel/.test(message) ? `the sentinel${spec.endpoints.length > 1 ? 's' : ''} at ${formatEndpoints(spec)}` : observed.subject;
  return { error: new Error(quoted), subject };
}

/** A reason for an error that gave none: a timeout says how long, the rest what could not be reached. */
function vagueReason(error: unknown, spec: RedisSpec): string {
  const message = errorFacts(error).message;
  const target = describeRedisTarget(spec);
  if (TIMED_OUT.test(message)) {
    return `${target} has not answered for ${COMMAND_TIMEOUT_MS / 1000} s`;
  }
  if (/None of startup nodes|Failed to refresh slots cache/.test(message)) {
    return `no node of ${target} answered`;
  }
  if (/Too many Cluster redirections/.test(message)) {
    return `${target} kept sending the command elsewhere: a node is down, or slots are moving`;
  }
  if (/sentinel/.test(message)) {
    return `no sentinel at ${formatEndpoints(spec)} answered`;
  }
  return `the connection to ${target} was lost`;
}

/** A timeout says how long it waited, then why: what the server kept answering, or what kept it away. */
function timeoutReason(base: string, reason: string, source: unknown): string {
  return errorFacts(source).reply ? `${reason}, still after ${COMMAND_TIMEOUT_MS / 1000} s` : `${base}: ${reason}`;
}

function explanationOf(error: unknown, context: FailureContext): Explanation {
  const { spec } = context;
  const target = describeRedisTarget(spec);
  const direct = explainRedisError(error, spec, target);
  if (direct !== undefined) {
    return { reason: direct, source: error, explained: true };
  }
  const events = context.events ?? [];
  const candidates: ObservedError[] = [
    ...(context.diagnosis ? [context.diagnosis] : []),
    nestedError({ error }, spec),
    ...events,
    ...events.map((event) => nestedError(event, spec)),
  ];
  const base = vagueReason(error, spec);
  const timedOut = TIMED_OUT.test(errorFacts(error).message);
  for (const candidate of candidates) {
    const reason = explainRedisError(candidate.error, spec, candidate.subject ?? target);
    if (reason !== undefined) {
      return { reason: timedOut ? timeoutReason(base, reason, candidate.error) : reason, source: candidate.error, explained: true };
    }
  }
  return { reason: base, source: error, explained: false };
}

/** Whether anything says why `error` happened, beyond "it failed" (else a diagnosis may find out). */
export function isExplained(error: unknown, context: FailureContext): boolean {
  return explanationOf(error, context).explained;
}

/**
 * One MultichatError('unavailable') for any failure of a Redis command or connection:
 * "could not <doing>: <reason>". MultichatErrors pass through unchanged.
 */
export function redisFailure(error: unknown, doing: string, context: FailureContext): MultichatError {
  if (isMultichatError(error)) {
    return error;
  }
  const { reason, source } = explanationOf(error, context);
  return new MultichatError('unavailable', hidePassword(`could not ${doing}: ${reason}`, context.spec), { cause: sanitizedCopy(source, context.spec) });
}

/** A plain Error with the original's name, message and code, the password masked, and no stack frames. */
function sanitizedCopy(error: unknown, spec: RedisSpec): Error {
  const copy = new Error(hidePassword(errorFacts(error).message, spec));
  copy.name = error instanceof Error ? error.name : 'Error';
  const { code } = errorFacts(error);
  if (code) {
    Object.assign(copy, { code });
  }
  copy.stack = `${copy.name}: ${copy.message}`;
  return copy;
}

/**
 * Masks every occurrence of the spec's password, as typed or URL-encoded. Passwords under 3 characters
 * are left alone: they occur inside ordinary words, and no message here quotes a password anyway.
 */
export function hidePassword(text: string, spec: Pick<RedisSpec, 'password'>): string {
  const { password } = spec;
  if (!password || password.length < 3) {
    return text;
  }
  let masked = text;
  for (const form of new Set([password, encodeURIComponent(password)])) {
    masked = masked.split(form).join('***');
  }
  return masked;
}

import { connectTimeoutOf } from './redisClientOptions';
import { REDIS_PASSWORD_ENV, RedisSpec } from './redisSpec';

// The plain reason for one error from ioredis, Node's sockets or TLS, or a Redis reply: what is wrong
// and, where the user can do something about it, what to do. Reasons name servers and users, never a
// password, and quote only what a server or Node says about itself (no command arguments).

export interface ErrorFacts {
  message: string;
  code: string;
  /** The first word of a Redis error reply (WRONGPASS, NOAUTH, OOM…), when it is one. */
  reply: string;
  /** host:port of a socket error, or the host name a lookup did not find. */
  address?: string;
}

/** The reason for an error, told about the spec and whom the error came from ("Redis at …"). */
type Reason = (facts: ErrorFacts, spec: RedisSpec, subject: string) => string;

/** The code of the error connectRedis makes when a client is not ready in time and no event said why. */
export const CONNECT_DEADLINE_CODE = 'MULTICHAT_REDIS_NOT_READY';

/** Messages that say only that something failed, not why: a recorded event or a diagnosis says why. */
export const VAGUE = /^(Connection is closed|Command timed out|Reached the max retries per request limit|Stream isn't writeable|None of startup nodes is available|Cluster is ended|Connection is aborted|Failed to refresh slots cache|Command aborted due to connection close|Socket timeout|All sentinels are unreachable|Too many Cluster redirections|failed to connect to sentinel)/;

export function formatEndpoint(endpoint: { host: string; port: number }): string {
  return endpoint.host.includes(':') ? `[${endpoint.host}]:${endpoint.port}` : `${endpoint.host}:${endpoint.port}`;
}

export function formatEndpoints(spec: RedisSpec): string {
  return spec.endpoints.map(formatEndpoint).join(', ');
}

/** Who the store talks to, as a user would name it: "Redis at host:port", "the Redis cluster at …". */
export function describeRedisTarget(spec: RedisSpec): string {
  if (spec.topology === 'cluster') {
    return `the Redis cluster at ${formatEndpoints(spec)}`;
  }
  if (spec.topology === 'sentinel') {
    return `the Redis master "${spec.master}" (sentinels ${formatEndpoints(spec)})`;
  }
  return `Redis at ${formatEndpoints(spec)}`;
}

/** What an error of unknown shape says: its message, its code, the reply word, the address. */
export function errorFacts(error: unknown): ErrorFacts {
  const raw = (error ?? {}) as { message?: unknown; code?: unknown; address?: unknown; port?: unknown; hostname?: unknown };
  const message = typeof raw.message === 'string' ? raw.message : String(error);
  const code = typeof raw.code === 'string' ? raw.code : '';
  let address = typeof raw.hostname === 'string' ? raw.hostname : undefined;
  if (typeof raw.address === 'string') {
    address = typeof raw.port === 'number' ? formatEndpoint({ host: raw.address, port: raw.port }) : raw.address;
  }
  return { message, code, reply: /^([A-Z]{3,})\b/.exec(message)?.[1] ?? '', address };
}

const hostNotFound: Reason = ({ code, address }, spec) => `the host name "${address ?? spec.endpoints[0].host}" was not found (${code})`;
const unreachable: Reason = ({ code, address }, _spec, subject) => `${address ?? subject} cannot be reached from here (${code})`;
const dropped: Reason = ({ code }, spec, subject) => `${subject} dropped the connection (${code})${spec.tls ? '' : ': if the server expects TLS, use rediss://'}`;

/** By Node's error code. */
const BY_CODE: Record<string, Reason> = {
  ECONNREFUSED: ({ address }, spec) => `nothing is listening at ${address ?? formatEndpoints(spec)} (ECONNREFUSED): is redis-server running there, on that port?`,
  ENOTFOUND: hostNotFound,
  EAI_AGAIN: hostNotFound,
  EAI_NONAME: hostNotFound,
  ETIMEDOUT: (_facts, spec, subject) =>
    `${subject} did not answer within ${connectTimeoutOf(spec) / 1000} s (ETIMEDOUT): is the host reachable, the port right${spec.tls ? ', and does the server speak TLS?' : '?'}`,
  ECONNRESET: dropped,
  EPIPE: dropped,
  EHOSTUNREACH: unreachable,
  ENETUNREACH: unreachable,
  ERR_TLS_CERT_ALTNAME_INVALID: ({ message }, _spec, subject) =>
    `the TLS certificate of ${subject} is not made out to that name (ERR_TLS_CERT_ALTNAME_INVALID: ${message.replace(/^Hostname\/IP does not match certificate's altnames: /, '')})`,
  CERT_HAS_EXPIRED: (_facts, _spec, subject) => `the TLS certificate of ${subject} has expired (CERT_HAS_EXPIRED)`,
  CERT_NOT_YET_VALID: (_facts, _spec, subject) => `the TLS certificate of ${subject} is not valid yet (CERT_NOT_YET_VALID)`,
  [CONNECT_DEADLINE_CODE]: (_facts, spec, subject) =>
    `${subject} was not ready within ${connectTimeoutOf(spec) / 1000} s${spec.topology === 'cluster' ? ' (is cluster_state:ok on its nodes?)' : ''}`,
};
const untrusted: Reason = ({ code }, _spec, subject) =>
  `the TLS certificate of ${subject} is not signed by an authority this machine trusts (${code}): add ca=<PEM file> to the store URL, or set NODE_EXTRA_CA_CERTS`;
for (const code of [
  'DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'CERT_UNTRUSTED', 'CERT_SIGNATURE_FAILURE', 'CERT_REJECTED',
]) {
  BY_CODE[code] = untrusted;
}

/** By the first word of a Redis error reply. */
const BY_REPLY: Record<string, Reason> = {
  WRONGPASS: (_facts, spec, subject) => `${subject} refused ${spec.username ? `the user "${spec.username}" or its password` : 'the password'} (WRONGPASS)`,
  NOAUTH: (_facts, _spec, subject) =>
    `${subject} needs a password: put it in the store URL (redis://user:password@host, URL-encoded) or in ${REDIS_PASSWORD_ENV} (NOAUTH)`,
  NOPERM: ({ message }, spec, subject) =>
    `${subject} does not allow ${spec.username ? `the user "${spec.username}"` : 'the default user'} to do this (${message}): the store needs an ACL like "on ~${spec.prefix}:* &${spec.prefix}:* +@all -@dangerous"`,
  OOM: (_facts, _spec, subject) => `${subject} is out of memory (OOM: maxmemory reached), so it refused the write`,
  READONLY: (_facts, spec, subject) =>
    `${subject} is a read-only replica (READONLY): point the store at the master${spec.topology === 'standalone' ? ', or use redis-sentinel://' : ''}`,
  CLUSTERDOWN: ({ message }, _spec, subject) => `${subject} is down (${message})`,
  LOADING: (_facts, _spec, subject) => `${subject} is still loading its data set (LOADING)`,
  MASTERDOWN: (_facts, _spec, subject) => `${subject} is a replica that has lost its master (MASTERDOWN)`,
  BUSY: (_facts, _spec, subject) => `${subject} is busy running a script (BUSY)`,
};

/** By what the message says, for errors with neither a code nor a reply word of their own. */
const BY_MESSAGE: [RegExp, Reason][] = [
  [/wrong version number|packet length too long|http request|unknown protocol|record layer failure/i, ({ code }, _spec, subject) =>
    `${subject} does not speak TLS (${code || 'no TLS handshake'}): use redis:// for a server without TLS`],
  [/^invalid reply: null|No such master with that name/, (_facts, spec) => `no sentinel at ${formatEndpoints(spec)} knows a master named "${spec.master}": check ?master= in the store URL`],
  [/unknown command 'sentinel'/i, ({ message }, _spec, subject) =>
    `${subject} is a plain Redis server, not a sentinel (${message.replace(/, with args.*$/s, '')}): use redis:// for it`],
  [/cluster support disabled/i, ({ message }, _spec, subject) => `${subject} is a plain Redis server, not a cluster node (${message}): use redis:// for it`],
];

/** The plain reason for one error, or undefined when it says only that something failed. */
export function explainRedisError(error: unknown, spec: RedisSpec, subject: string): string | undefined {
  if (error === undefined || error === null) {
    return undefined;
  }
  const facts = errorFacts(error);
  if (VAGUE.test(facts.message)) {
    return undefined;
  }
  const reason = BY_CODE[facts.code] ?? BY_REPLY[facts.reply] ?? BY_MESSAGE.find(([pattern]) => pattern.test(facts.message))?.[1];
  if (reason !== undefined) {
    return reason(facts, spec, subject);
  }
  if (/^ERR_(SSL|TLS)/.test(facts.code)) {
    return `the TLS handshake with ${subject} failed (${facts.code}: ${facts.message})`;
  }
  return `${subject} answered: ${facts.message}`;
}

import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import type { ConnectionOptions } from 'node:tls';
import type { ClusterOptions, RedisOptions } from 'ioredis';
import { storeUnavailable } from '../../core/errors';
import { describeIoCause } from '../fs/ioErrors';
import { RedisSpec } from './redisSpec';

// The ioredis options for a store spec, one code path for every topology. The choices that keep a
// command from ever hanging, and that let it ride out a short outage:
// - every command waits at most COMMAND_TIMEOUT_MS for its reply, across reconnects (`commandTimeout`;
//   for a cluster also while the whole cluster is reconnecting, see BoundedCluster). A command issued
//   while the server restarts waits in the offline queue (`enableOfflineQueue`) and goes out when the
//   connection is back; one in flight when the connection dropped is sent again
//   (`autoResendUnfulfilledCommands`, default: the store's writes are idempotent). A command that timed
//   out may still be sent once the connection is back: idempotent writes make that, and a retry, safe.
// - `maxRetriesPerRequest: null`: the time bound above replaces ioredis' count of reconnect attempts, which
//   is no measure of time (a refused attempt fails at once, one to a host that drops packets takes the
//   whole connect timeout).
// - the first connect is not retried: its failure is the answer (connectRedis explains it). Once ready,
//   reconnects go on forever at most a second apart, so a long-lived process recovers when Redis does;
//   `socketTimeout` drops a connection whose server stopped answering, so it is replaced, not waited on.
// - `disconnectTimeout` short: ioredis keeps a timer that long after disconnecting a socket that had
//   already closed, which would keep a finished process alive.
// - no ready check (`enableReadyCheck: false`): it runs INFO, which `-@dangerous` forbids. A server still
//   loading its data answers LOADING instead: then the command is sent again after a reconnect.
// - no CLIENT SETINFO (`disableClientInfo`): Redis 7.0 has no such command; ioredis ignored the error
//   but sent two useless commands on every connect.

/** The longest a command waits for its reply, reconnects included. Blocking reads must block for less. */
export const COMMAND_TIMEOUT_MS = 10_000;
export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
const MAX_RECONNECT_DELAY_MS = 1_000;
const DISCONNECT_TIMEOUT_MS = 500;

/** 50 ms, 100 ms, 200 ms … then once a second. */
export function reconnectDelay(attempt: number): number {
  return Math.min(50 * 2 ** Math.max(0, attempt - 1), MAX_RECONNECT_DELAY_MS);
}

/** What the options need to know about the connection's life so far. */
export interface ConnectionState {
  /** True once the client has been ready: from then on a lost server or sentinel is waited for. */
  readonly everReady: boolean;
  /** Told of each reply retried after a reconnect (LOADING…), which ioredis reports nowhere else. */
  readonly retried: (error: Error) => void;
}

export function connectTimeoutOf(spec: RedisSpec): number {
  return spec.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
}

/** Replies in the shapes RESP2 gives (ioredis' default), whichever protocol the server speaks. */
type LegacyReplies = { replyMapping: 'legacy' };

/** Options shared by every connection to a Redis server (a standalone server, a master, a cluster node). */
export function serverOptions(spec: RedisSpec): RedisOptions & LegacyReplies {
  return {
    replyMapping: 'legacy',
    username: spec.username,
    password: spec.password,
    connectTimeout: connectTimeoutOf(spec),
    disconnectTimeout: DISCONNECT_TIMEOUT_MS,
    commandTimeout: COMMAND_TIMEOUT_MS,
    socketTimeout: COMMAND_TIMEOUT_MS,
    maxRetriesPerRequest: null,
    enableReadyCheck: false,
    enableOfflineQueue: true,
    disableClientInfo: true,
    lazyConnect: true,
    tls: spec.tls ? tlsOptions(spec) : undefined,
  };
}

function tlsOptions(spec: RedisSpec): ConnectionOptions {
  const host = spec.endpoints[0].host;
  // Node checks the certificate against `host`; SNI wants a name, and refuses an IP address.
  const servername = spec.topology === 'standalone' && !isIP(host) ? host : undefined;
  return { ...(spec.caFile === undefined ? {} : { ca: readCaFile(spec.caFile) }), ...(servername ? { servername } : {}) };
}

function readCaFile(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    throw storeUnavailable(`could not read the TLS CA file ${file} (ca=): ${describeIoCause(error)}`);
  }
}

/** A server still loading its data set answers LOADING; a demoted master (Sentinel) READONLY: retry those. */
function retryAfterReconnect(spec: RedisSpec, state: ConnectionState): (error: Error) => 2 | false {
  return (error) => {
    const reply = error.message.split(' ')[0];
    if (reply === 'LOADING' || (reply === 'READONLY' && spec.topology === 'sentinel')) {
      state.retried(error);
      return 2;
    }
    return false;
  };
}

/** Options for `new Redis(...)`: a standalone server, or the master a sentinel names. */
export function redisOptions(spec: RedisSpec, state: ConnectionState): RedisOptions & LegacyReplies {
  const common: RedisOptions & LegacyReplies = {
    ...serverOptions(spec),
    db: spec.db,
    retryStrategy: (attempt) => (state.everReady ? reconnectDelay(attempt) : null),
    reconnectOnError: retryAfterReconnect(spec, state),
  };
  if (spec.topology === 'sentinel') {
    return {
      ...common,
      sentinels: spec.endpoints.map(({ host, port }) => ({ host, port })),
      name: spec.master,
      role: 'master',
      // The URL has one user and password; sentinels deployed with auth use the data nodes' as a rule.
      sentinelUsername: spec.username,
      sentinelPassword: spec.password,
      sentinelCommandTimeout: connectTimeoutOf(spec),
      sentinelRetryStrategy: (attempt) => (state.everReady ? reconnectDelay(attempt) : null),
    };
  }
  const { host, port } = spec.endpoints[0];
  return { ...common, host, port };
}

/** Options for `new Cluster(endpoints, ...)`; the subscriber's adds `shardedSubscribers: true`. */
export function clusterOptions(spec: RedisSpec, state: ConnectionState, shardedSubscribers: boolean): ClusterOptions & { redisOptions: LegacyReplies } {
  return {
    redisOptions: serverOptions(spec),
    lazyConnect: true,
    enableOfflineQueue: true,
    // CLUSTER INFO: in @slow, allowed to a least-privilege user.
    enableReadyCheck: true,
    clusterRetryStrategy: (attempt) => (state.everReady ? reconnectDelay(attempt) : null),
    // A node that went away, or CLUSTERDOWN: retried every 200 ms, 40 times, so for about 8 s: a node's
    // restart is waited out, and the error comes before COMMAND_TIMEOUT_MS, naming the last reply.
    maxRedirections: 40,
    retryDelayOnFailover: 200,
    retryDelayOnClusterDown: 200,
    retryDelayOnTryAgain: 200,
    slotsRefreshTimeout: Math.min(connectTimeoutOf(spec), 2_000),
    shardedSubscribers,
  };
}

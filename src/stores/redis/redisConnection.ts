import { Cluster, ClusterNode, Redis } from 'ioredis';
import { MultichatError } from '../../core/errors';
import { settleWithin } from '../../core/eventLoop';
import { COMMAND_TIMEOUT_MS, ConnectionState, clusterOptions, connectTimeoutOf, redisOptions } from './redisClientOptions';
import { diagnoseEndpoints } from './redisDiagnosis';
import { CONNECT_DEADLINE_CODE, describeRedisTarget } from './redisErrorReasons';
import { FailureContext, ObservedError, isExplained, redisFailure } from './redisFailures';
import { RedisSpec } from './redisSpec';

// The Redis store's connections: one for commands and scripts, and one more, made on demand, for
// sharded pub/sub (SSUBSCRIBE holds its connection). Both come from redisClientOptions.ts, so every
// topology has one code path, and both report their `error` events to one recorder, so a command that
// fails with only "Connection is closed." is explained by what really happened (redisFailures.ts).

export type RedisClient = Redis | Cluster;

export interface RedisConnection {
  readonly spec: RedisSpec;
  /** For commands and scripts. Ready when connectRedis resolves. */
  readonly client: RedisClient;
  /**
   * A separate connection for SSUBSCRIBE (in cluster mode built with shardedSubscribers: true), created on
   * first call, ready when it resolves, closed by close().
   */
  subscriber(): Promise<RedisClient>;
  /**
   * Any error a command rejected with, as a MultichatError('unavailable') with one plain sentence:
   * "could not <doing>: <reason>". Never contains the password.
   */
  failure(error: unknown, doing: string): MultichatError;
  /** Quits both connections (disconnects those whose QUIT is not answered within 1 s). */
  close(): Promise<void>;
}

/** How long connectRedis waits beyond the connect timeout (a sentinel lookup and then the master). */
const CONNECT_GRACE_MS = 1_000;
const QUIT_TIMEOUT_MS = 1_000;
/** An error event older than this no longer explains a failure. */
const RECENT_EVENT_MS = COMMAND_TIMEOUT_MS * 2;

/**
 * A Cluster whose every command, even one queued while the whole cluster reconnects (where ioredis sets
 * no timer), is rejected after COMMAND_TIMEOUT_MS without a reply; and which tells of the replies it
 * retries (CLUSTERDOWN, TRYAGAIN…), so a command that times out meanwhile can say what the cluster said.
 */
class BoundedCluster extends Cluster {
  constructor(
    nodes: ClusterNode[],
    options: ReturnType<typeof clusterOptions>,
    private readonly retried: (error: Error) => void,
  ) {
    super(nodes, options);
  }

  override sendCommand(...args: Parameters<Cluster['sendCommand']>): unknown {
    args[0].setTimeout(COMMAND_TIMEOUT_MS);
    return super.sendCommand(...args);
  }

  override handleError(...args: Parameters<Cluster['handleError']>): void {
    if (!/^(MOVED|ASK) /.test(args[0].message)) {
      this.retried(args[0]);
    }
    super.handleError(...args);
  }
}

/** The errors a connection's clients reported lately, with whom they came from when known. */
class ErrorRecorder {
  private events: { observed: ObservedError; at: number }[] = [];

  record(error: unknown, nodeKey?: unknown): void {
    const subject = typeof nodeKey === 'string' ? `the cluster node at ${nodeKey}` : undefined;
    this.events = [{ observed: { error, subject }, at: Date.now() }, ...this.events.slice(0, 7)];
  }

  watch(client: RedisClient): void {
    // Listening also keeps ioredis from printing "[ioredis] Unhandled error event" on stderr.
    for (const event of ['error', 'node error', 'nodeError', 'sentinelError']) {
      client.on(event, (error: unknown, nodeKey?: unknown) => this.record(error, nodeKey));
    }
  }

  /** Newest first, none older than RECENT_EVENT_MS. */
  recent(): ObservedError[] {
    const since = Date.now() - RECENT_EVENT_MS;
    return this.events.filter((event) => event.at >= since).map((event) => event.observed);
  }
}

function createClient(spec: RedisSpec, recorder: ErrorRecorder, forSubscriber: boolean): RedisClient {
  const state: { everReady: boolean } & ConnectionState = { everReady: false, retried: (error) => recorder.record(error) };
  const client =
    spec.topology === 'cluster'
      ? new BoundedCluster(spec.endpoints.map(({ host, port }) => ({ host, port })), clusterOptions(spec, state, forSubscriber), state.retried)
      : new Redis(redisOptions(spec, state));
  client.on('ready', () => (state.everReady = true));
  recorder.watch(client);
  return client;
}

/**
 * Disconnects for good, and rejects whatever is still queued: on ioredis 6.0.0 (pinned) disconnect() on a
 * client between two reconnect attempts neither ends it nor rejects its queue, whose timers would then
 * keep the process alive for COMMAND_TIMEOUT_MS.
 */
function disconnectNow(client: RedisClient): void {
  if (client.status === 'end') {
    return;
  }
  client.disconnect();
  (client as unknown as { flushQueue?: (error: Error) => void }).flushQueue?.(new Error('Connection is closed.'));
}

/**
 * Connects the client and waits until it is ready, until `deadline` at the latest: a first attempt that
 * fails (refused, wrong password, bad certificate…) is the answer, not retried.
 */
function readyBy(client: RedisClient, deadline: number, recorder: ErrorRecorder): Promise<void> {
  return new Promise((resolve, reject) => {
    const settle = (error?: Error): void => {
      clearTimeout(timer);
      client.off('end', onEnd);
      if (error) {
        reject(error);
      } else {
        resolve();
      }
    };
    const recordedOr = (fallback: Error): Error => {
      const recorded = recorder.recent()[0]?.error;
      return recorded instanceof Error ? recorded : fallback;
    };
    const notReady = Object.assign(new Error('not ready in time'), { code: CONNECT_DEADLINE_CODE });
    const timer = setTimeout(() => settle(recordedOr(notReady)), Math.max(0, deadline - Date.now()));
    // A cluster whose ready check fails (cluster_state:fail) ends without settling connect(): the
    // diagnosis in connectFailure finds out why.
    const onEnd = (): void => settle(new Error('Connection is closed.'));
    client.once('end', onEnd);
    client.connect().then(() => settle(), (error: Error) => settle(error));
  });
}

/** The deadline for a connection made now: the connect timeout, and a second for a sentinel lookup. */
function connectDeadline(spec: RedisSpec): number {
  return Date.now() + connectTimeoutOf(spec) + CONNECT_GRACE_MS;
}

/**
 * Why connecting failed. When the error itself does not say (a cluster or sentinels: see
 * redisDiagnosis.ts), one plain connection to each endpoint finds out, in the time left; what the
 * clients' events said comes next.
 */
async function connectFailure(error: unknown, doing: string, context: FailureContext, deadline: number): Promise<MultichatError> {
  if (context.spec.topology !== 'standalone' && !isExplained(error, { spec: context.spec })) {
    const diagnosis = await diagnoseEndpoints(context.spec, Math.max(500, deadline - Date.now()));
    return redisFailure(error, doing, { ...context, diagnosis });
  }
  return redisFailure(error, doing, context);
}

/**
 * QUIT, then a plain disconnect: at once if the connection drops first, after QUIT_TIMEOUT_MS if QUIT is
 * not answered (the server is frozen). Resolves once the client has ended, or QUIT_TIMEOUT_MS later at
 * most. A client that is not ready is disconnected at once: its QUIT would only wait in the queue.
 */
async function quitWithin(client: RedisClient): Promise<void> {
  if (client.status !== 'ready') {
    disconnectNow(client);
    return;
  }
  const ended = new Promise((resolve) => client.once('end', resolve));
  const dropped = new Promise((resolve) => client.once('close', resolve));
  await settleWithin(Promise.race([client.quit(), dropped]), QUIT_TIMEOUT_MS);
  disconnectNow(client);
  // Between two reconnect attempts a disconnected client never emits 'end'.
  if ((client.status as string) !== 'reconnecting') {
    await settleWithin(ended, QUIT_TIMEOUT_MS);
  }
}

class OpenRedisConnection implements RedisConnection {
  private subscriberClient?: RedisClient;
  private subscriberReady?: Promise<RedisClient>;
  private closing?: Promise<void>;

  constructor(
    readonly spec: RedisSpec,
    readonly client: RedisClient,
    private readonly recorder: ErrorRecorder,
  ) {}

  subscriber(): Promise<RedisClient> {
    if (this.closing) {
      return Promise.reject(new MultichatError('unavailable', `the connection to ${describeRedisTarget(this.spec)} is closed`));
    }
    this.subscriberReady ??= this.openSubscriber().catch((error: unknown) => {
      this.subscriberReady = undefined;
      throw error;
    });
    return this.subscriberReady;
  }

  private async openSubscriber(): Promise<RedisClient> {
    const deadline = connectDeadline(this.spec);
    const subscriber = createClient(this.spec, this.recorder, true);
    this.subscriberClient = subscriber;
    try {
      await readyBy(subscriber, deadline, this.recorder);
    } catch (error) {
      disconnectNow(subscriber);
      throw await connectFailure(error, 'open a subscriber connection to Redis', this.context(), deadline);
    }
    return subscriber;
  }

  failure(error: unknown, doing: string): MultichatError {
    return redisFailure(error, doing, this.context());
  }

  private context(): FailureContext {
    return { spec: this.spec, events: this.recorder.recent() };
  }

  close(): Promise<void> {
    this.closing ??= Promise.all([this.client, this.subscriberClient].filter((each) => each !== undefined).map(quitWithin)).then(() => undefined);
    return this.closing;
  }
}

/**
 * Connects to the store's Redis (standalone, Sentinel or Cluster) and waits until it is ready. Rejects
 * within spec.connectTimeoutMs (default 10 s) and a second, with a MultichatError('unavailable') that
 * names the cause plainly (and never the password).
 */
export async function connectRedis(spec: RedisSpec): Promise<RedisConnection> {
  const deadline = connectDeadline(spec);
  const recorder = new ErrorRecorder();
  const client = createClient(spec, recorder, false);
  try {
    await readyBy(client, deadline, recorder);
  } catch (error) {
    disconnectNow(client);
    throw await connectFailure(error, 'connect to Redis', { spec, events: recorder.recent() }, deadline);
  }
  return new OpenRedisConnection(spec, client, recorder);
}

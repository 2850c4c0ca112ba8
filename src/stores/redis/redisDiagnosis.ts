import { Redis } from 'ioredis';
import { RedisEndpoint, RedisSpec } from './redisSpec';
import { serverOptions } from './redisClientOptions';
import { formatEndpoint } from './redisErrorReasons';
import { ObservedError } from './redisFailures';

// When a cluster or a Sentinel deployment cannot be used and ioredis says no more than "Connection is
// closed." (its slot refresher and its sentinel lookups swallow their own connections' errors), one
// plain connection to each endpoint finds out why: refused, unknown host, wrong password, not a
// sentinel, no such master, cluster_state:fail, or the master the sentinels name is down.

/** The first endpoint's problem, in the spec's order; undefined if every endpoint looks healthy. */
export async function diagnoseEndpoints(spec: RedisSpec, limitMs: number): Promise<ObservedError | undefined> {
  const findings = await Promise.all(spec.endpoints.map((endpoint) => diagnoseEndpoint(spec, endpoint, limitMs)));
  return findings.find((finding) => finding !== undefined);
}

async function diagnoseEndpoint(spec: RedisSpec, endpoint: RedisEndpoint, limitMs: number): Promise<ObservedError | undefined> {
  const role = spec.topology === 'sentinel' ? 'sentinel' : 'cluster node';
  const subject = `the ${role} at ${formatEndpoint(endpoint)}`;
  return probe(spec, endpoint, limitMs, subject, async (client) => {
    if (spec.topology === 'cluster') {
      const info = String(await client.cluster('INFO'));
      const state = /cluster_state:(\w+)/.exec(info)?.[1];
      return state === 'ok' ? undefined : { error: new Error(`CLUSTERDOWN cluster_state:${state ?? 'unknown'}`), subject };
    }
    const address = (await client.call('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', spec.master ?? '')) as [string, string] | null;
    if (!address) {
      return { error: new Error('invalid reply: null'), subject };
    }
    const master = { host: address[0], port: Number(address[1]) };
    return probe(spec, master, limitMs, `the master "${spec.master}" at ${formatEndpoint(master)}`, async () => undefined);
  });
}

/** Connects once (no retries, bounded), runs `check` if it could, and reports what went wrong. */
async function probe(
  spec: RedisSpec,
  endpoint: RedisEndpoint,
  limitMs: number,
  subject: string,
  check: (client: Redis) => Promise<ObservedError | undefined>,
): Promise<ObservedError | undefined> {
  const client = new Redis({
    ...serverOptions(spec),
    host: endpoint.host,
    port: endpoint.port,
    connectTimeout: limitMs,
    commandTimeout: limitMs,
    retryStrategy: null,
  });
  let event: unknown;
  client.on('error', (error: unknown) => (event ??= error));
  try {
    await client.connect();
    return await check(client);
  } catch (error) {
    return { error: event ?? error, subject };
  } finally {
    client.disconnect();
  }
}

import { Cluster, Redis } from 'ioredis';
import { StoreProblem } from '../../../core/store';
import { describeError } from '../../../core/errors';
import { RedisConnection } from '../redisConnection';

// The server settings the store's promises rest on, checked by verify and reported as warnings
// (they are choices of whoever runs Redis, which --repair cannot change, and a Redis run as a
// cache may make them on purpose): AOF on with appendfsync always (acknowledged writes survive a
// crash), and no eviction (keys never vanish under the store). CONFIG and INFO are @dangerous: a least-privilege user is
// refused them, and verify says the settings could not be checked.

const SETTINGS = ['appendonly', 'appendfsync', 'maxmemory-policy', 'maxmemory'] as const;

type Settings = Record<(typeof SETTINGS)[number], string>;

/** Warnings about every server the namespace lives on (each master of a cluster). */
export async function serverWarnings(connection: RedisConnection): Promise<StoreProblem[]> {
  const client = connection.client;
  const nodes: { node: Redis; where: string }[] =
    client instanceof Cluster
      ? client.nodes('master').map((node) => ({ node, where: `redis ${node.options.host}:${node.options.port}` }))
      : [{ node: client, where: `redis ${serverName(connection)}` }];
  return (await Promise.all(nodes.map(({ node, where }) => nodeWarnings(node, where)))).flat();
}

function serverName(connection: RedisConnection): string {
  const { spec } = connection;
  const endpoint = `${spec.endpoints[0].host}:${spec.endpoints[0].port}`;
  return spec.topology === 'sentinel' ? `master "${spec.master}" (sentinel ${endpoint})` : endpoint;
}

async function nodeWarnings(node: Redis, where: string): Promise<StoreProblem[]> {
  let settings: Settings;
  try {
    settings = Object.fromEntries(await Promise.all(SETTINGS.map(async (name) => [name, valueOf(await node.config('GET', name))]))) as Settings;
  } catch (error) {
    const reason = describeError(error).split('\n')[0].slice(0, 200);
    return [{ where, what: `could not check that Redis runs with appendonly yes and maxmemory-policy noeviction (CONFIG GET was refused: ${reason}); ask whoever runs it` }];
  }
  return [...settingWarnings(settings).map((what) => ({ where, what })), ...(await evictionWarnings(node, where))];
}

/** CONFIG GET answers [name, value] (or {name: value} in RESP3). */
function valueOf(reply: unknown): string {
  if (Array.isArray(reply)) {
    return String(reply[1] ?? '');
  }
  const value = Object.values((reply ?? {}) as Record<string, unknown>)[0];
  return typeof value === 'string' ? value : '';
}

function settingWarnings(settings: Settings): string[] {
  const warnings: string[] = [];
  if (settings.appendonly !== 'yes') {
    warnings.push('AOF is off (appendonly no): if Redis crashes or is killed, every write since its last snapshot is lost, acknowledged ones too; set appendonly yes');
  } else if (settings.appendfsync === 'no') {
    warnings.push('appendfsync no: writes reach the disk when the OS decides, so a power cut can lose the last ~30 s of acknowledged writes; use appendfsync always');
  } else if (settings.appendfsync === 'everysec') {
    // Under everysec Redis holds AOF writes back (and still replies) while its last fsync lags.
    warnings.push('appendfsync everysec: a power cut, or a crash while the disk is busy, can lose the last second or two of acknowledged writes; use appendfsync always for none');
  }
  if (settings['maxmemory-policy'] !== 'noeviction' && settings.maxmemory !== '0') {
    warnings.push(`maxmemory-policy ${settings['maxmemory-policy']} (maxmemory ${settings.maxmemory} bytes): when memory runs out Redis evicts keys, and sessions lose messages or drop out of the list; run the namespace with maxmemory-policy noeviction`);
  }
  return warnings;
}

/** Keys Redis has evicted since it started (INFO stats); nothing when INFO is refused. */
async function evictionWarnings(node: Redis, where: string): Promise<StoreProblem[]> {
  const stats = await node.info('stats').catch(() => '');
  const evicted = Number(/^evicted_keys:(\d+)/m.exec(stats)?.[1] ?? 0);
  return evicted > 0 ? [{ where, what: `Redis has evicted ${evicted} key(s) since it started (evicted_keys): sessions in this namespace may have lost data; run verify --repair, and run the namespace with maxmemory-policy noeviction` }] : [];
}

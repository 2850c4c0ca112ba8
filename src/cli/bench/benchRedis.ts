// The bench's own Redis: a redis-server (or a 3-master cluster) started on free loopback ports in
// a temp folder, stopped by its own pid. A Redis the machine already runs is never touched. Every
// wait is bounded: a server that does not come up is an error, never a hang.
import { execFileSync } from 'node:child_process';
import { RedisNode, pollUntil, redisCli, startNode } from './redisNodes';

/** What the bench tells the reader about the server it measured on. */
export const BENCH_REDIS_SETTINGS = "--save '' --appendonly yes --appendfsync everysec";
const SETTINGS_ARGS = ['--save', '', '--appendonly', 'yes', '--appendfsync', 'everysec'];

const CLUSTER_CREATE_TIMEOUT_MS = 30_000;
const CLUSTER_OK_TIMEOUT_MS = 20_000;

export interface BenchRedis {
  topology: 'standalone' | 'cluster';
  /** A store spec for the namespace `prefix` on this server or cluster. */
  spec(prefix: string): string;
  /** One line saying what runs where, for the bench's output. */
  description: string;
  stop(): Promise<void>;
}

/** Whether redis-server and redis-cli can be run here. */
export function redisServerInstalled(): boolean {
  try {
    execFileSync('redis-server', ['--version'], { stdio: 'ignore', timeout: 5_000 });
    execFileSync('redis-cli', ['--version'], { stdio: 'ignore', timeout: 5_000 });
    return true;
  } catch {
    return false;
  }
}

/** A standalone redis-server on a free loopback port. */
export async function startBenchRedis(): Promise<BenchRedis> {
  const node = await startNode(SETTINGS_ARGS, []);
  return {
    topology: 'standalone',
    spec: (prefix) => `redis://127.0.0.1:${node.port}?prefix=${prefix}`,
    description: `redis-server ${serverVersion()} on 127.0.0.1:${node.port} (pid ${node.child.pid}), ${BENCH_REDIS_SETTINGS}`,
    stop: () => node.stop(),
  };
}

/** `masters` cluster nodes without replicas, joined by `redis-cli --cluster create`, ready once cluster_state is ok. */
export async function startBenchCluster(masters = 3): Promise<BenchRedis> {
  const nodes: RedisNode[] = [];
  const stopAll = async (): Promise<void> => void (await Promise.all(nodes.map((node) => node.stop())));
  try {
    for (let index = 0; index < masters; index++) {
      nodes.push(await startNode(SETTINGS_ARGS, ['--cluster-enabled', 'yes', '--cluster-node-timeout', '2000']));
    }
    const addresses = nodes.map((node) => `127.0.0.1:${node.port}`);
    await redisCli(['--cluster', 'create', ...addresses, '--cluster-yes'], CLUSTER_CREATE_TIMEOUT_MS);
    await Promise.all(nodes.map((node) => pollUntil(node.port, ['cluster', 'info'], /cluster_state:ok/, CLUSTER_OK_TIMEOUT_MS, 'did not reach cluster_state:ok')));
    return {
      topology: 'cluster',
      spec: (prefix) => `redis-cluster://${addresses.join(',')}?prefix=${prefix}`,
      description: `a ${masters}-master cluster of redis-server ${serverVersion()} on ${addresses.join(', ')} (pids ${nodes.map((node) => node.child.pid).join(', ')}), ${BENCH_REDIS_SETTINGS}`,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

function serverVersion(): string {
  try {
    return /v=(\S+)/.exec(execFileSync('redis-server', ['--version'], { encoding: 'utf8', timeout: 5_000 }))?.[1] ?? '?';
  } catch {
    return '?';
  }
}

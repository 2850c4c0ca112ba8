import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ClusterOptions } from 'ioredis';
import { RedisServer, RedisServerOptions, freeLoopbackPort, redisCli, startRedis } from './redisServers';

// A Redis Cluster of the tests' own: masters on free loopback ports, joined by redis-cli.

/** Options for an ioredis Cluster a test makes itself: bounded like BOUNDED_TEST_CLIENT. */
export const BOUNDED_TEST_CLUSTER: ClusterOptions = {
  lazyConnect: true,
  redisOptions: { connectTimeout: 3_000, commandTimeout: 5_000, maxRetriesPerRequest: 10 },
  clusterRetryStrategy: (attempt: number) => (attempt > 20 ? null : 100),
};

export interface RedisCluster {
  nodes: RedisServer[];
  stop(): Promise<void>;
}

/** `masters` cluster nodes (no replicas), joined with `redis-cli --cluster create`, ready once cluster_state is ok. */
export async function startRedisCluster(masters = 3, options: Pick<RedisServerOptions, 'password'> = {}): Promise<RedisCluster> {
  const nodes: RedisServer[] = [];
  try {
    for (let index = 0; index < masters; index++) {
      const port = await freeLoopbackPort();
      const dir = mkdtempSync(join(tmpdir(), 'multichat-redis-cluster-'));
      const args = ['--cluster-enabled', 'yes', '--cluster-config-file', join(dir, 'nodes.conf'), '--cluster-node-timeout', '2000'];
      nodes.push(await startRedis({ ...options, port, dir, args: [...args, ...(options.password ? ['--masterauth', options.password] : [])] }));
    }
    const auth = options.password ? ['-a', options.password, '--no-auth-warning'] : [];
    await redisCli(['--cluster', 'create', ...nodes.map((node) => `127.0.0.1:${node.port}`), '--cluster-yes', ...auth], 30_000);
    for (const node of nodes) {
      await waitForClusterOk(node.port, auth);
    }
  } catch (error) {
    await Promise.all(nodes.map((node) => node.stop()));
    throw error;
  }
  return { nodes, stop: async () => void (await Promise.all(nodes.map((node) => node.stop()))) };
}

async function waitForClusterOk(port: number, auth: string[]): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const info = await redisCli(['-p', String(port), ...auth, 'cluster', 'info'], 2_000).catch(() => '');
    if (/cluster_state:ok/.test(info)) {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the test cluster on port ${port} did not reach cluster_state:ok within 20 s`);
}

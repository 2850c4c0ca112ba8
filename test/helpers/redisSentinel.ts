import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRedisProcess } from './redisProcess';
import { RedisServer, freeLoopbackPort, redisCli, startRedis } from './redisServers';

// A Sentinel deployment of the tests' own: one master, one replica, three sentinels (quorum 2) that
// declare a master down after 1 s. Everything on free loopback ports, in temp folders, stopped by pid.

export interface RedisSentinelSet {
  masterName: string;
  password?: string;
  /** The data nodes, master first (as started: after a failover the roles are swapped). */
  nodes: RedisServer[];
  sentinels: RedisServer[];
  /** The port the sentinels currently name as the master's. */
  masterPort(): Promise<number>;
  /** SIGKILLs the current master and waits (at most 30 s) until the sentinels name another; its port. */
  killMasterAndWaitForFailover(): Promise<number>;
  stop(): Promise<void>;
}

const SETTLE_TIMEOUT_MS = 30_000;

export async function startRedisSentinel(options: { password?: string; masterName?: string } = {}): Promise<RedisSentinelSet> {
  const masterName = options.masterName ?? 'multichat-test';
  const { password } = options;
  const auth = password ? ['--masterauth', password] : [];
  const nodes: RedisServer[] = [];
  const sentinels: RedisServer[] = [];
  const stop = async (): Promise<void> => void (await Promise.all([...sentinels, ...nodes].map((server) => server.stop())));
  try {
    nodes.push(await startRedis({ password, aof: true, args: auth }));
    nodes.push(await startRedis({ password, aof: true, args: [...auth, '--replicaof', '127.0.0.1', String(nodes[0].port)] }));
    await waitFor(`the replica on port ${nodes[1].port} to sync`, async () => /master_link_status:up/.test(await cli(nodes[1], password, ['INFO', 'replication'])));
    for (let index = 0; index < 3; index++) {
      sentinels.push(await startSentinel(masterName, nodes[0].port, password));
    }
    // A failover needs the sentinels to know each other and the replica (hello messages, every 2 s).
    for (const sentinel of sentinels) {
      await waitFor(`sentinel ${sentinel.port} to see the others`, async () => {
        const replicas = await cli(sentinel, password, ['SENTINEL', 'REPLICAS', masterName]);
        const peers = await cli(sentinel, password, ['SENTINEL', 'SENTINELS', masterName]);
        return replicas.includes(String(nodes[1].port)) && sentinels.every((other) => other === sentinel || peers.includes(String(other.port)));
      });
    }
  } catch (error) {
    await stop();
    throw error;
  }
  const masterPort = async (): Promise<number> => {
    const reply = await cli(sentinels[0], password, ['SENTINEL', 'GET-MASTER-ADDR-BY-NAME', masterName]);
    return Number(reply.trim().split('\n')[1]);
  };
  const killMasterAndWaitForFailover = async (): Promise<number> => {
    const before = await masterPort();
    await nodes.find((node) => node.port === before)!.kill();
    let after = before;
    await waitFor(`a failover away from port ${before}`, async () => (after = await masterPort()) !== before && !Number.isNaN(after));
    return after;
  };
  return { masterName, password, nodes, sentinels, masterPort, killMasterAndWaitForFailover, stop };
}

async function startSentinel(masterName: string, masterPort: number, password: string | undefined): Promise<RedisServer> {
  const port = await freeLoopbackPort();
  const dir = mkdtempSync(join(tmpdir(), 'multichat-redis-sentinel-'));
  const quoted = password === undefined ? '' : JSON.stringify(password);
  const conf = [
    `port ${port}`, 'bind 127.0.0.1', 'daemonize no', `dir ${JSON.stringify(dir)}`, `logfile ${JSON.stringify(join(dir, 'sentinel.log'))}`,
    `sentinel monitor ${masterName} 127.0.0.1 ${masterPort} 2`,
    `sentinel down-after-milliseconds ${masterName} 1000`,
    `sentinel failover-timeout ${masterName} 5000`,
    // The sentinels themselves ask for the password too, and use it with each other.
    ...(password === undefined ? [] : [`sentinel auth-pass ${masterName} ${quoted}`, `requirepass ${quoted}`, `sentinel sentinel-pass ${quoted}`]),
  ];
  // Sentinel rewrites its configuration file (what it learns of replicas and peers): it must be writable.
  const file = join(dir, 'sentinel.conf');
  writeFileSync(file, `${conf.join('\n')}\n`);
  return startRedisProcess({ args: [file, '--sentinel'], dir, probe: { port, password } });
}

function cli(server: RedisServer, password: string | undefined, args: string[]): Promise<string> {
  const auth = password ? ['-a', password, '--no-auth-warning'] : [];
  return redisCli(['-p', String(server.port), ...auth, ...args], 3_000).catch(() => '');
}

async function waitFor(what: string, done: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + SETTLE_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (await done()) {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out after ${SETTLE_TIMEOUT_MS / 1000} s waiting for ${what}`);
}

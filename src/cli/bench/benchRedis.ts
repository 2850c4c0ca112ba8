// The bench's own Redis: a redis-server (or a 3-master cluster) started on free loopback ports in
// a temp folder, stopped by its own pid. A Redis the machine already runs is never touched. Every
// wait is bounded: a server that does not come up is an error, never a hang.
import { ChildProcess, execFile, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** What the bench tells the reader about the server it measured on. */
export const BENCH_REDIS_SETTINGS = "--save '' --appendonly yes --appendfsync everysec";
const SETTINGS_ARGS = ['--save', '', '--appendonly', 'yes', '--appendfsync', 'everysec'];

const START_TIMEOUT_MS = 10_000;
const STOP_TIMEOUT_MS = 10_000;
const CLUSTER_CREATE_TIMEOUT_MS = 30_000;
const CLUSTER_OK_TIMEOUT_MS = 20_000;
/** A cluster node's bus listens on its port + 10000. */
const BUS_OFFSET = 10_000;
/** Below the kernel's ephemeral range (32768+) with the bus port too, so no client socket can hold either. */
const PORTS = { low: 12_000, high: 22_000 };

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
  const node = await startNode([]);
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
      nodes.push(await startNode(['--cluster-enabled', 'yes', '--cluster-node-timeout', '2000']));
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

interface RedisNode {
  port: number;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** Servers still running, killed should the bench exit without stopping them. */
const running = new Set<ChildProcess>();
process.once('exit', () => running.forEach((child) => child.kill('SIGKILL')));

async function startNode(extraArgs: string[]): Promise<RedisNode> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'multichat-bench-redis-'));
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--daemonize', 'no', '--logfile', join(dir, 'redis.log'), ...SETTINGS_ARGS];
  const child = spawn('redis-server', [...args, ...extraArgs], { stdio: 'ignore' });
  running.add(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  exited.then(() => running.delete(child), () => undefined);
  const stop = async (): Promise<void> => {
    await stopChild(child, exited);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await Promise.race([pollUntil(port, ['ping'], /PONG/, START_TIMEOUT_MS, 'did not answer PING'), exited.then(() => Promise.reject(new Error(`redis-server on port ${port} exited at start; see ${dir}/redis.log`)))]);
  } catch (error) {
    await stop();
    throw error;
  }
  return { port, child, stop };
}

/** SIGTERM by pid; SIGKILL if it has not exited within the bound. */
async function stopChild(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return;
  }
  child.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), STOP_TIMEOUT_MS)));
  if ((await Promise.race([exited, late])) === 'late') {
    child.kill('SIGKILL');
    await exited;
  }
  clearTimeout(timer);
}

/** A free loopback port whose cluster bus port is free too (both checked by binding them). */
async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = PORTS.low + Math.floor(Math.random() * (PORTS.high - PORTS.low));
    if ((await canBind(port)) && (await canBind(port + BUS_OFFSET))) {
      return port;
    }
  }
  throw new Error('no free loopback port for the bench redis-server');
}

function canBind(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

/** Asks with redis-cli every so often until the answer says so, for at most `timeoutMs`. */
async function pollUntil(port: number, question: string[], answer: RegExp, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (answer.test(await redisCli(['-p', String(port), ...question], 2_000).catch(() => ''))) {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`the bench redis-server on port ${port} ${what} within ${timeoutMs / 1000} s`);
}

/** redis-cli without blocking the event loop, and never for longer than `timeoutMs`. */
function redisCli(args: string[], timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('redis-cli', ['-h', '127.0.0.1', ...args], { timeout: timeoutMs, killSignal: 'SIGKILL', encoding: 'utf8' }, (error, stdout, stderr) =>
      error ? reject(new Error(`redis-cli ${args.slice(0, 3).join(' ')} failed: ${error.message} ${stderr}`.trim())) : resolve(stdout),
    );
  });
}

function serverVersion(): string {
  try {
    return /v=(\S+)/.exec(execFileSync('redis-server', ['--version'], { encoding: 'utf8', timeout: 5_000 }))?.[1] ?? '?';
  } catch {
    return '?';
  }
}

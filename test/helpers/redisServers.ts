import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Real redis-server processes of the tests' own, on free loopback ports, each in its own temp folder and
// stopped by its own pid: a Redis the machine already runs (6379 or any other) is never touched.

const START_TIMEOUT_MS = 10_000;
/** A cluster node's bus listens on its port + 10000, so both must be free and below 65536. */
const CLUSTER_BUS_OFFSET = 10_000;

export interface RedisServer {
  port: number;
  dir: string;
  password?: string;
  readonly pid: number | undefined;
  /** SIGKILL, as a crash would: no shutdown save, no AOF rewrite. */
  kill(): Promise<void>;
  /** Starts the same server again on the same port and folder (its AOF is replayed). */
  restart(): Promise<void>;
  /** SIGTERM, then removes the folder. */
  stop(): Promise<void>;
}

export interface RedisServerOptions {
  password?: string;
  /** appendonly yes with fsync always (the durability the store promises); default true. */
  aof?: boolean;
  /** Extra redis-server arguments, e.g. ['--maxmemory', '2mb']. */
  args?: string[];
  port?: number;
  dir?: string;
}

export function redisInstalled(): boolean {
  try {
    execFileSync('redis-server', ['--version'], { stdio: 'ignore' });
    execFileSync('redis-cli', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** A free loopback port; with `maxPort`, one below it (a cluster node needs room for its bus port). */
export async function freeLoopbackPort(maxPort = 65_535): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((resolve, reject) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const address = probe.address();
        probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
      });
      probe.on('error', reject);
    });
    if (port > 0 && port <= maxPort) {
      return port;
    }
  }
}

export async function startRedis(options: RedisServerOptions = {}): Promise<RedisServer> {
  if (!redisInstalled()) {
    throw new Error('these tests run a real redis-server, which is not installed: apt-get install redis-server (.ci/run does)');
  }
  const port = options.port ?? (await freeLoopbackPort());
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'multichat-redis-'));
  const args = serverArgs(port, dir, options);
  let child = await launch(args, port, options.password);
  const server: RedisServer = {
    port,
    dir,
    password: options.password,
    get pid() {
      return child.pid;
    },
    kill: () => signal(child, 'SIGKILL'),
    restart: async () => {
      await signal(child, 'SIGKILL');
      child = await launch(args, port, options.password);
    },
    stop: async () => {
      await signal(child, 'SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return server;
}

function serverArgs(port: number, dir: string, options: RedisServerOptions): string[] {
  const aof = options.aof ?? true;
  return [
    '--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--daemonize', 'no',
    '--appendonly', aof ? 'yes' : 'no', '--appendfsync', 'always', '--logfile', join(dir, 'redis.log'),
    ...(options.password ? ['--requirepass', options.password] : []),
    ...(options.args ?? []),
  ];
}

async function launch(args: string[], port: number, password: string | undefined): Promise<ChildProcess> {
  const child = spawn('redis-server', args, { stdio: 'ignore' });
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) => reject(new Error(`redis-server on port ${port} exited at start (code ${code}); see its redis.log`))),
  );
  exited.catch(() => undefined);
  await Promise.race([waitForPong(port, password), exited]);
  return child;
}

/** Polls with a raw PING (AUTH first when there is a password) until the server answers +PONG. */
async function waitForPong(port: number, password: string | undefined): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (await answersPong(port, password)) {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`redis-server on port ${port} did not answer PING within ${START_TIMEOUT_MS / 1000} s`);
}

function answersPong(port: number, password: string | undefined): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    let reply = '';
    socket.setTimeout(1000, () => socket.destroy());
    socket.on('connect', () => socket.write(`${password ? `AUTH ${password}\r\n` : ''}PING\r\n`));
    socket.on('data', (data) => {
      reply += data.toString('latin1');
      if (reply.includes('+PONG') || reply.startsWith('-')) {
        socket.destroy();
      }
    });
    socket.on('close', () => resolve(reply.includes('+PONG')));
    socket.on('error', () => undefined);
  });
}

function signal(child: ChildProcess, name: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve();
  }
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill(name);
  });
}

export interface RedisCluster {
  nodes: RedisServer[];
  stop(): Promise<void>;
}

/** `masters` cluster nodes (no replicas), joined with `redis-cli --cluster create`, ready once cluster_state is ok. */
export async function startRedisCluster(masters = 3, options: Pick<RedisServerOptions, 'password'> = {}): Promise<RedisCluster> {
  const nodes: RedisServer[] = [];
  try {
    for (let index = 0; index < masters; index++) {
      const port = await freeLoopbackPort(65_535 - CLUSTER_BUS_OFFSET);
      const dir = mkdtempSync(join(tmpdir(), 'multichat-redis-cluster-'));
      const args = ['--cluster-enabled', 'yes', '--cluster-config-file', join(dir, 'nodes.conf'), '--cluster-node-timeout', '2000'];
      nodes.push(await startRedis({ ...options, port, dir, args: [...args, ...(options.password ? ['--masterauth', options.password] : [])] }));
    }
    const auth = options.password ? ['-a', options.password, '--no-auth-warning'] : [];
    execFileSync('redis-cli', ['--cluster', 'create', ...nodes.map((node) => `127.0.0.1:${node.port}`), '--cluster-yes', ...auth], { stdio: 'pipe' });
    await waitForClusterOk(nodes[0].port, auth);
  } catch (error) {
    await Promise.all(nodes.map((node) => node.stop()));
    throw error;
  }
  return { nodes, stop: async () => void (await Promise.all(nodes.map((node) => node.stop()))) };
}

async function waitForClusterOk(port: number, auth: string[]): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const info = execFileSync('redis-cli', ['-p', String(port), ...auth, 'cluster', 'info'], { encoding: 'utf8' });
    if (/cluster_state:ok/.test(info)) {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the test cluster on port ${port} did not reach cluster_state:ok within 20 s`);
}

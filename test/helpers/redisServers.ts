import { ChildProcess, execFile, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Real redis-server processes of the tests' own, on free loopback ports, each in its own temp folder and
// stopped by its own pid: a Redis the machine already runs (6379 or any other) is never touched.

const START_TIMEOUT_MS = 10_000;
/** A cluster node's bus listens on its port + 10000, so both must be free and below 65536. */
export const CLUSTER_BUS_OFFSET = 10_000;

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

/**
 * Ports for the tests' servers come from below the kernel's ephemeral range (32768+ here), so a
 * client socket's local port can never sit on a cluster node's bus port (port + 10000), and both are
 * checked free by binding them.
 */
const PORT_RANGE = { low: 12_000, high: 22_000 };

function canBind(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

/** A free loopback port whose cluster bus port (port + 10000) is free too. */
export async function freeLoopbackPort(): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = PORT_RANGE.low + Math.floor(Math.random() * (PORT_RANGE.high - PORT_RANGE.low));
    if ((await canBind(port)) && (await canBind(port + CLUSTER_BUS_OFFSET))) {
      return port;
    }
  }
  throw new Error('no free loopback port for a test redis-server');
}

/** Runs redis-cli without blocking the event loop, and never for longer than `timeoutMs`. */
export function redisCli(args: string[], timeoutMs = 15_000): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('redis-cli', args, { timeout: timeoutMs, killSignal: 'SIGKILL', encoding: 'utf8' }, (error, stdout, stderr) => {
      if (error) {
        reject(new Error(`redis-cli ${args.filter((arg) => !arg.startsWith('-a')).slice(0, 4).join(' ')} failed: ${error.message} ${stderr}`.trim()));
      } else {
        resolve(stdout);
      }
    });
  });
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

/** Servers still running, killed if the test process exits without stopping them (a failed or cancelled run). */
const running = new Set<ChildProcess>();
process.once('exit', () => running.forEach((child) => child.kill('SIGKILL')));

async function launch(args: string[], port: number, password: string | undefined): Promise<ChildProcess> {
  const child = spawn('redis-server', args, { stdio: 'ignore' });
  running.add(child);
  child.once('exit', () => running.delete(child));
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

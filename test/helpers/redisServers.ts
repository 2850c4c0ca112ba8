import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RedisOptions } from 'ioredis';
import { RedisServer, startRedisProcess } from './redisProcess';

export type { RedisServer } from './redisProcess';

// Real redis-server processes of the tests' own, on free loopback ports, each in its own temp folder and
// stopped by its own pid: a Redis the machine already runs (6379 or any other) is never touched.

/** A cluster node's bus listens on its port + 10000, so both must be free and below 65536. */
export const CLUSTER_BUS_OFFSET = 10_000;

export interface RedisServerOptions {
  password?: string;
  /** appendonly yes with fsync always (the durability the store promises); default true. */
  aof?: boolean;
  /** Extra redis-server arguments, e.g. ['--maxmemory', '2mb']. */
  args?: string[];
  port?: number;
  dir?: string;
  /** Speak TLS only (`--port 0 --tls-port <port>`), with this certificate; clients need no certificate. */
  tls?: RedisTlsServerFiles;
}

export interface RedisTlsServerFiles {
  certFile: string;
  keyFile: string;
  /** The authority that signed certFile: the server's own trust store, and the readiness probe's. */
  caFile: string;
}

/**
 * Options for an ioredis client a test makes itself (not through connectRedis): no command waits more than
 * 5 s, reconnects stop after 20 (100 ms apart), so a test that goes wrong fails instead of hanging.
 */
export const BOUNDED_TEST_CLIENT: RedisOptions = {
  lazyConnect: true,
  connectTimeout: 3_000,
  commandTimeout: 5_000,
  maxRetriesPerRequest: 10,
  retryStrategy: (attempt: number) => (attempt > 20 ? null : 100),
  enableReadyCheck: false,
};

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
        // Not the arguments as given: `-a <password>` is among them.
        const shown = args.filter((arg, index) => arg !== '-a' && args[index - 1] !== '-a').slice(0, 4).join(' ');
        const how = error.killed ? `killed after ${timeoutMs} ms` : `exit code ${String(error.code)}`;
        reject(new Error(`redis-cli ${shown} failed (${how}) ${stderr}`.trim()));
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
  const tls = options.tls && { caFile: options.tls.caFile, ca: readFileSync(options.tls.caFile) };
  try {
    return await startRedisProcess({ args: serverArgs(port, dir, options), dir, probe: { port, password: options.password, tls } });
  } catch (error) {
    const log = existsSync(join(dir, 'redis.log')) ? readFileSync(join(dir, 'redis.log'), 'utf8').split('\n').slice(-5).join('\n') : '';
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`${(error as Error).message}\n${log}`.trim());
  }
}

function serverArgs(port: number, dir: string, options: RedisServerOptions): string[] {
  const aof = options.aof ?? true;
  return [
    '--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--daemonize', 'no',
    '--appendonly', aof ? 'yes' : 'no', '--appendfsync', 'always', '--logfile', join(dir, 'redis.log'),
    ...(options.password ? ['--requirepass', options.password] : []),
    ...(options.tls ? tlsArgs(port, options.tls) : []),
    ...(options.args ?? []),
  ];
}

function tlsArgs(port: number, files: RedisTlsServerFiles): string[] {
  return [
    '--port', '0', '--tls-port', String(port), '--tls-cert-file', files.certFile, '--tls-key-file', files.keyFile,
    '--tls-ca-cert-file', files.caFile, '--tls-auth-clients', 'no',
  ];
}

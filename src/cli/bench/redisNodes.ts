// One redis-server of the bench's own: on a free loopback port whose cluster bus port is free too,
// in a temp folder of its own, stopped by its pid (SIGTERM, then SIGKILL past a bound), and killed
// should the bench end without stopping it. Every wait is bounded.
import { ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const START_TIMEOUT_MS = 10_000;
const STOP_TIMEOUT_MS = 10_000;
/** A cluster node's bus listens on its port + 10000. */
const BUS_OFFSET = 10_000;
/** Below the kernel's ephemeral range (32768+) with the bus port too, so no client socket can hold either. */
const PORTS = { low: 12_000, high: 22_000 };

export interface RedisNode {
  port: number;
  child: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Servers still running, and their folders. Should the bench end without stopping them (an
 * error, SIGINT, SIGTERM) they are killed and their folders removed on the way out; the handlers
 * are there only while servers run.
 */
const running = new Map<ChildProcess, string>();
const killRunning = (): void =>
  running.forEach((dir, child) => {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });
const endOnSignal = (signal: NodeJS.Signals): void => {
  killRunning();
  process.exit(signal === 'SIGINT' ? 130 : 143);
};

function track(child: ChildProcess, dir: string, exited: Promise<void>): void {
  if (running.size === 0) {
    process.on('exit', killRunning);
    process.on('SIGINT', endOnSignal);
    process.on('SIGTERM', endOnSignal);
  }
  running.set(child, dir);
  void exited.then(() => {
    running.delete(child);
    if (running.size === 0) {
      process.off('exit', killRunning);
      process.off('SIGINT', endOnSignal);
      process.off('SIGTERM', endOnSignal);
    }
  });
}

/** Starts redis-server with the settings and `extraArgs`; resolves once it answers PING. */
export async function startNode(settings: string[], extraArgs: string[]): Promise<RedisNode> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'multichat-bench-redis-'));
  const log = join(dir, 'redis.log');
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--daemonize', 'no', '--logfile', log, ...settings];
  const child = spawn('redis-server', [...args, ...extraArgs], { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.once('error', () => resolve());
  });
  track(child, dir, exited);
  const stop = async (): Promise<void> => {
    await stopChild(child, exited);
    rmSync(dir, { recursive: true, force: true });
  };
  const failedToStart = exited.then(() => Promise.reject(new Error(`redis-server on port ${port} exited at start: ${logTail(log)}`)));
  try {
    await Promise.race([pollUntil(port, ['ping'], /PONG/, START_TIMEOUT_MS, 'did not answer PING'), failedToStart]);
  } catch (error) {
    await stop();
    throw error;
  }
  return { port, child, stop };
}

function logTail(file: string): string {
  try {
    return readFileSync(file, 'utf8').trim().split('\n').slice(-3).join(' / ');
  } catch {
    return 'it left no log';
  }
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
export async function pollUntil(port: number, question: string[], answer: RegExp, timeoutMs: number, what: string): Promise<void> {
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
export function redisCli(args: string[], timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('redis-cli', ['-h', '127.0.0.1', ...args], { timeout: timeoutMs, killSignal: 'SIGKILL', encoding: 'utf8' }, (error, stdout, stderr) =>
      error ? reject(new Error(`redis-cli ${args.slice(0, 3).join(' ')} failed: ${error.message} ${stderr}`.trim())) : resolve(stdout),
    );
  });
}

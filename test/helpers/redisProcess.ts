import { ChildProcess, spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { Socket, createConnection } from 'node:net';
import { connect as tlsConnect } from 'node:tls';

// One redis-server process (a data node or a sentinel) of the tests' own: spawned, awaited until it
// answers PING (over TLS when it only speaks TLS), and stopped by its own pid.

const START_TIMEOUT_MS = 10_000;

export interface RedisServer {
  port: number;
  dir: string;
  password?: string;
  readonly pid: number | undefined;
  /** SIGKILL, as a crash would: no shutdown save, no AOF rewrite. */
  kill(): Promise<void>;
  /** Starts the same server again on the same port and folder (its AOF is replayed). */
  restart(): Promise<void>;
  /** SIGSTOP: the process stays, its sockets stay open, nothing answers. */
  freeze(): void;
  /** SIGCONT after freeze(). */
  thaw(): void;
  /** SIGTERM, then removes the folder. */
  stop(): Promise<void>;
}

/** How to tell that the server is up: PING on its port, with AUTH first, over TLS trusting `caFile`. */
export interface ReadinessProbe {
  port: number;
  password?: string;
  tls?: { caFile: string; ca: Buffer };
}

export interface RedisProcessOptions {
  args: string[];
  dir: string;
  probe: ReadinessProbe;
}

/**
 * Servers still running, killed if the test process exits without stopping them (a failed run), or is
 * told to stop (a cancelled or timed-out run: the signal is raised again once they are gone).
 */
const running = new Map<ChildProcess, string>();
const killRunning = (): void =>
  running.forEach((dir, child) => {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });
process.once('exit', killRunning);
for (const name of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
  process.once(name, () => {
    killRunning();
    process.kill(process.pid, name);
  });
}

export async function startRedisProcess(options: RedisProcessOptions): Promise<RedisServer> {
  const { args, dir, probe } = options;
  let child = await launch(args, dir, probe);
  return {
    port: probe.port,
    dir,
    password: probe.password,
    get pid() {
      return child.pid;
    },
    kill: () => signal(child, 'SIGKILL'),
    restart: async () => {
      await signal(child, 'SIGKILL');
      child = await launch(args, dir, probe);
    },
    freeze: () => void child.kill('SIGSTOP'),
    thaw: () => void child.kill('SIGCONT'),
    stop: async () => {
      child.kill('SIGCONT');
      await signal(child, 'SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function launch(args: string[], dir: string, probe: ReadinessProbe): Promise<ChildProcess> {
  const child = spawn('redis-server', args, { stdio: 'ignore' });
  running.set(child, dir);
  child.once('exit', () => running.delete(child));
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) => reject(new Error(`redis-server on port ${probe.port} exited at start (code ${code}); see its log`))),
  );
  exited.catch(() => undefined);
  try {
    await Promise.race([waitForPong(probe), exited]);
  } catch (error) {
    await signal(child, 'SIGKILL');
    throw error;
  }
  return child;
}

/** Polls with a raw PING (AUTH first when there is a password) until the server answers +PONG. */
async function waitForPong(probe: ReadinessProbe): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (await answersPong(probe)) {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`redis-server on port ${probe.port} did not answer PING within ${START_TIMEOUT_MS / 1000} s`);
}

function answersPong(probe: ReadinessProbe): Promise<boolean> {
  return new Promise((resolve) => {
    const socket: Socket = probe.tls
      ? // Trusts the test CA; the name may be wrong on purpose (the certificate-name tests' server).
        tlsConnect({ host: '127.0.0.1', port: probe.port, ca: probe.tls.ca, checkServerIdentity: () => undefined })
      : createConnection({ host: '127.0.0.1', port: probe.port });
    let reply = '';
    socket.setTimeout(1000, () => socket.destroy());
    socket.once(probe.tls ? 'secureConnect' : 'connect', () => socket.write(`${probe.password ? respCommand('AUTH', probe.password) : ''}PING\r\n`));
    socket.on('data', (data: Buffer) => {
      reply += data.toString('latin1');
      if (reply.includes('+PONG') || reply.startsWith('-')) {
        socket.destroy();
      }
    });
    socket.on('close', () => resolve(reply.includes('+PONG')));
    socket.on('error', () => undefined);
  });
}

/** A command in RESP, so a password with spaces or quotes needs no escaping. */
function respCommand(...parts: string[]): string {
  return `*${parts.length}\r\n${parts.map((part) => `$${Buffer.byteLength(part)}\r\n${part}\r\n`).join('')}`;
}

export function signal(child: ChildProcess, name: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve();
  }
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill(name);
  });
}

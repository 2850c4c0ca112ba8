// A throwaway redis-server (Debian's binary) for a UI scenario: on a free loopback port, behind a password, with
// no persistence, in its own temp folder. Stopped by its own pid, with its folder removed, when the run ends (also
// on a failure, a timeout's process.exit or a signal): a Redis the machine already runs (6379 or any other) is
// never touched.
import { spawn } from 'node:child_process';
import { mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { delay } from './proc.mjs';
import { freePort } from './server.mjs';

const START_TIMEOUT_MS = 15_000;
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/** Starts the server; resolves with `{ port, password, url, log(), stop() }` once it answers PING after AUTH. */
export async function startRedisForUi({ password }) {
  const dir = mkdtempSync(join(tmpdir(), 'ui-redis-'));
  const port = await freePort();
  const logFile = join(dir, 'redis.log');
  const args = ['--bind', '127.0.0.1', '--port', String(port), '--requirepass', password, '--save', '', '--appendonly', 'no',
    '--dir', dir, '--daemonize', 'no', '--logfile', ''];
  const log = openSync(logFile, 'a');
  const child = spawn('redis-server', args, { stdio: ['ignore', log, log] });
  const readLog = () => {
    try {
      return readFileSync(logFile, 'utf8');
    } catch {
      return '';
    }
  };
  const signalHandlers = new Map(SIGNALS.map((signal) => [signal, () => onSignal(signal)]));
  const forget = () => {
    process.off('exit', lastResort);
    signalHandlers.forEach((handler, signal) => process.off(signal, handler));
  };
  // Synchronous, so it can run from 'exit' (hostSession's timeout exits the process) and from a signal.
  function lastResort() {
    forget();
    killAndRemove(child, dir);
  }
  function onSignal(signal) {
    lastResort();
    if (process.listenerCount(signal) === 0) {
      process.kill(process.pid, signal); // nothing else stops the run: die of the signal as if it were not caught
    }
  }
  process.on('exit', lastResort);
  signalHandlers.forEach((handler, signal) => process.on(signal, handler));
  const stop = async () => {
    forget();
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolveExit) => child.once('exit', resolveExit));
      child.kill('SIGTERM');
      await Promise.race([exited, delay(3_000)]);
    }
    killAndRemove(child, dir);
  };
  try {
    await waitForPong(child, port, password);
  } catch (error) {
    const tail = readLog().trimEnd().split('\n').slice(-15).join('\n');
    await stop();
    throw new Error(`${error.message}\n--- redis-server log ---\n${tail}\n---`);
  }
  return { port, password, url: `redis://127.0.0.1:${port}`, log: readLog, stop };
}

function killAndRemove(child, dir) {
  if (child.exitCode === null && child.signalCode === null) {
    child.kill('SIGKILL');
  }
  rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
}

async function waitForPong(child, port, password) {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`redis-server on port ${port} exited at start (${child.signalCode ?? `exit ${child.exitCode}`})`);
    }
    if (await answersPong(port, password)) {
      return;
    }
    await delay(100);
  }
  throw new Error(`redis-server on port ${port} did not answer PING within ${START_TIMEOUT_MS / 1000}s`);
}

/** A raw AUTH then PING; true on +PONG. RESP framing, so the password needs no escaping. */
function answersPong(port, password) {
  return new Promise((resolveAnswer) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    let reply = '';
    socket.setTimeout(1_000, () => socket.destroy());
    socket.once('connect', () => socket.write(`${resp('AUTH', password)}${resp('PING')}`));
    socket.on('data', (data) => {
      reply += data.toString('latin1');
      if (reply.includes('+PONG') || reply.startsWith('-')) {
        socket.destroy();
      }
    });
    socket.on('close', () => resolveAnswer(reply.includes('+PONG')));
    socket.on('error', () => undefined);
  });
}

const resp = (...parts) => `*${parts.length}\r\n${parts.map((part) => `$${Buffer.byteLength(part)}\r\n${part}\r\n`).join('')}`;

// The people around the sharing UI scenario (ui-sharing.mjs), played by the CLI (dist/cli.js): a teammate on a
// JSON store of their own, mirrored through the scenario's Redis and writing under their name, and the CLI on the
// workspace's own store (no remote), which seeds what the user has before the window opens.
import { spawn } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { join } from 'node:path';
import { ROOT } from './paths.mjs';
import { delay } from './proc.mjs';

const CLI = join(ROOT, 'dist', 'cli.js');
const CLI_TIMEOUT_MS = 60_000;
const ALPHANUMERICS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** `cli(args, stdin?)` as `name`, on `storeDir`, sharing through `redis` in `namespace`; resolves with stdout. */
export function teammateCli({ name, storeDir, redis, namespace }) {
  const env = {
    ...withoutMultichatEnv(),
    MULTICHAT_STORE: `json:${storeDir}`,
    MULTICHAT_REMOTE: `${redis.url}?prefix=${encodeURIComponent(namespace)}`,
    MULTICHAT_REDIS_PASSWORD: redis.password,
    MULTICHAT_AUTHOR: name,
  };
  return (args, input) => runCli(args, { env, input });
}

/** The CLI on a JSON store folder alone, no team Redis. */
export function localCli(storeDir) {
  const env = { ...withoutMultichatEnv(), MULTICHAT_STORE: `json:${storeDir}` };
  return (args, input) => runCli(args, { env, input });
}

/** Creates a session titled `title` holding `messages` ({ role, content }); resolves with its id. */
export async function createSession(cli, title, messages) {
  const id = await cli(['new', '--title', title]);
  await cli(['append', id, '--jsonl'], messages.map((message) => JSON.stringify(message)).join('\n'));
  return id;
}

/** A GitHub token's shape with random characters, made at run time so no file holds one. */
export function fakeGitHubToken() {
  for (;;) {
    const token = `ghp_${Array.from({ length: 36 }, () => ALPHANUMERICS[randomInt(ALPHANUMERICS.length)]).join('')}`;
    if (/[A-Z]/.test(token.slice(4)) && /[a-z]/.test(token.slice(4)) && /[0-9]/.test(token)) {
      return token;
    }
  }
}

/**
 * Appends `lineAt(n)` as a user message to session `id` every `intervalMs` (one CLI run at a time), in the
 * background until stop(). `next()` resolves with the first append that starts after the call, once it is done:
 * `{ content, doneAt }`; `latest()` is the last append done so far, `count()` how many were. A failed append rejects the pending next() calls
 * and is kept in `failures`.
 */
export function startAppender(cli, id, lineAt, { intervalMs = 1_000 } = {}) {
  const failures = [];
  let waiters = [];
  let stopped = false;
  let latest;
  let count = 0;
  const settle = (startedAt, outcome) => {
    if (!('error' in outcome)) {
      latest = outcome;
      count++;
    }
    const due = waiters.filter((waiter) => waiter.calledAt <= startedAt);
    waiters = waiters.filter((waiter) => waiter.calledAt > startedAt);
    due.forEach((waiter) => ('error' in outcome ? waiter.reject(outcome.error) : waiter.resolve(outcome)));
  };
  const loop = (async () => {
    for (let n = 0; !stopped; n++) {
      const startedAt = Date.now();
      const content = lineAt(n);
      try {
        await cli(['append', id, '--role', 'user', '--content', content]);
        settle(startedAt, { content, doneAt: Date.now() });
      } catch (error) {
        failures.push(error.message);
        settle(startedAt, { error });
      }
      await delay(Math.max(0, intervalMs - (Date.now() - startedAt)));
    }
  })();
  return {
    failures,
    latest: () => latest,
    count: () => count,
    next: () => new Promise((resolve, reject) => waiters.push({ calledAt: Date.now(), resolve, reject })),
    stop: async () => {
      stopped = true;
      await loop;
      waiters.forEach((waiter) => waiter.reject(new Error('the teammate stopped appending')));
    },
  };
}

function runCli(args, { env, input }) {
  return new Promise((resolveRun, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env, stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'], timeout: CLI_TIMEOUT_MS });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.stdin?.end(input);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code === 0) {
        resolveRun(stdout.trim());
      } else {
        reject(new Error(`multichat ${args[0]} failed (${signal ?? `exit ${code}`}): ${stderr.trim().split('\n').slice(-3).join(' ')}`));
      }
    });
  });
}

/** The run's own MULTICHAT_* variables (a developer's store or remote) must not leak into the scenario's CLI runs. */
function withoutMultichatEnv() {
  return Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('MULTICHAT_')));
}

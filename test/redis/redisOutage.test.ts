import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, describe, it } from 'node:test';
import { isMultichatError } from '../../src/core/errors';
import { openRedisStore } from '../../src/stores/redis/openRedisStore';
import { CLI_PATH, cliJson, cliOk } from '../helpers/cli';
import { startRedis } from '../helpers/redisServers';
import { makeTempDir, waitFor } from '../helpers/tempDir';
import { freshPrefix } from './redisFixtures';

// Redis killed and not started again: a writer must not wait for ever. `append --jsonl` exits 5
// naming the problem, an in-process append rejects with 'unavailable', both within a bound —
// and what was acknowledged before is there once Redis is back.

/** How long a write may wait for a Redis that is gone (the connection layer's bound is ~10 s). */
const BOUND_MS = 20_000;

// The two tests wait on their own servers, side by side.
describe('Redis killed and not restarted', { timeout: 60_000, concurrency: true }, () => {
  const cache = makeTempDir('multichat-cache-');
  const env = { XDG_CACHE_HOME: cache.path };
  after(() => cache.cleanup());

  it('makes append --jsonl exit 5 naming the problem within the bound', async () => {
    const server = await startRedis();
    try {
      const spec = `redis://127.0.0.1:${server.port}?prefix=${freshPrefix()}`;
      const id = cliOk(['new', '--title', 'outage'], { store: spec, env }).trim();
      const child = spawn(process.execPath, [CLI_PATH, '--store', spec, 'append', id, '--jsonl'], { env: { ...process.env, MULTICHAT_STORE: '', ...env } });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (data: Buffer) => (stdout += data.toString('utf8')));
      child.stderr.on('data', (data: Buffer) => (stderr += data.toString('utf8')));
      child.stdin.on('error', () => undefined);
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      child.stdin.write('{"role":"user","content":"before"}\n');
      await waitFor(() => stdout.includes('\n'), 10_000);
      await server.kill();
      const killedAt = Date.now();
      child.stdin.write('{"role":"user","content":"while Redis is gone"}\n');
      const code = await Promise.race([exited, new Promise<'hung'>((resolve) => setTimeout(resolve, BOUND_MS, 'hung').unref())]);
      child.kill('SIGKILL');
      assert.equal(code, 5, `exit 5 within ${BOUND_MS / 1000} s (got ${code} after ${Date.now() - killedAt} ms): ${stderr}`);
      assert.match(stderr, new RegExp(`^multichat: could not append to session ${id}: .*127\\.0\\.0\\.1:${server.port}`, 'm'));
      await server.restart();
      const stored = cliJson<{ messages: { id: string }[] }>(['show', id], { store: spec, env }).messages.map((message) => message.id);
      assert.deepEqual(stored, stdout.trim().split('\n'), 'the acknowledged message is there, once');
    } finally {
      await server.stop();
    }
  });

  it("makes an in-process append reject with 'unavailable' within the bound", async () => {
    const server = await startRedis();
    const index = makeTempDir('index-', cache.path);
    const store = await openRedisStore(`redis://127.0.0.1:${server.port}?prefix=${freshPrefix()}`, { indexDirectory: index.path });
    try {
      const { id } = await store.create({ title: 'outage' });
      await server.kill();
      const started = Date.now();
      const outcome = await Promise.race([
        store.appendMessages(id, [{ role: 'user', content: 'while Redis is gone' }]).then(() => 'stored', (error: unknown) => error),
        new Promise<'hung'>((resolve) => setTimeout(resolve, BOUND_MS, 'hung').unref()),
      ]);
      assert.ok(isMultichatError(outcome, 'unavailable'), `rejected within ${BOUND_MS / 1000} s (got ${String(outcome)} after ${Date.now() - started} ms)`);
    } finally {
      await store.close();
      await server.stop();
      index.cleanup();
    }
  });
});

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, describe, it } from 'node:test';
import { SessionStore } from '../../src/core/store';
import { openRedisStore } from '../../src/stores/redis/openRedisStore';
import { CLI_PATH, cliJson } from '../helpers/cli';
import { makeTempDir } from '../helpers/tempDir';
import { Topology, redisTestBed } from './redisFixtures';

// Two clients at once. Metadata edits are scripts run atomically by the server, so two clients
// adding different tags at the same moment both keep theirs, round after round, on a standalone
// server and on a cluster. Two `append --jsonl` processes streaming into one session both keep
// every message, and every reader sees the same one order.

const ROUNDS = 40;

async function twoClients(spec: string, index: string): Promise<[SessionStore, SessionStore]> {
  return Promise.all([openRedisStore(spec, { indexDirectory: `${index}/a` }), openRedisStore(spec, { indexDirectory: `${index}/b` })]);
}

for (const topology of ['standalone', 'cluster'] as Topology[]) {
  describe(`two Redis clients editing one session at once (${topology})`, { timeout: 60_000 }, () => {
    const bed = redisTestBed(topology);
    const temp = makeTempDir('multichat-concurrency-');
    after(() => temp.cleanup());

    it(`keeps both clients' tags through ${ROUNDS} rounds of adding at the same moment`, async () => {
      const [first, second] = await twoClients(bed.spec(), temp.path);
      try {
        const { id } = await first.create({ title: 'tagged from two places' });
        for (let round = 0; round < ROUNDS; round++) {
          await Promise.all([first.update(id, { addTags: [`first-${round}`] }), second.update(id, { addTags: [`second-${round}`] })]);
        }
        const expected = Array.from({ length: ROUNDS }, (_, round) => [`first-${round}`, `second-${round}`]).flat().sort();
        assert.deepEqual([...(await first.get(id))!.tags].sort(), expected);
        assert.deepEqual([...(await second.list())[0].tags].sort(), expected);
      } finally {
        await Promise.all([first.close(), second.close()]);
      }
    });

    it('keeps a rename, a pin and a tag made at the same moment by two clients', async () => {
      const [first, second] = await twoClients(bed.spec(), temp.path);
      try {
        const { id } = await first.create({ title: 'before' });
        await Promise.all([first.update(id, { title: 'renamed' }), second.update(id, { pinned: true, addTags: ['kept'] })]);
        const [summary] = await first.list();
        assert.deepEqual([summary.title, summary.pinned, summary.tags], ['renamed', true, ['kept']]);
      } finally {
        await Promise.all([first.close(), second.close()]);
      }
    });
  });
}

describe('two append --jsonl processes streaming into one Redis session', { timeout: 60_000 }, () => {
  const bed = redisTestBed('standalone');
  const temp = makeTempDir('multichat-concurrency-');
  const env = { ...process.env, MULTICHAT_STORE: '', XDG_CACHE_HOME: temp.path };
  after(() => temp.cleanup());

  /** Streams `count` messages with ids `<label>000`… and resolves with the ids it acknowledged (or rejects on a bad exit or after 30 s). */
  function stream(spec: string, id: string, label: string, count: number): Promise<string[]> {
    const child = spawn(process.execPath, [CLI_PATH, '--store', spec, 'append', id, '--jsonl'], { env, timeout: 30_000, killSignal: 'SIGKILL' });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (data: Buffer) => (stdout += data.toString('utf8')));
    child.stderr.on('data', (data: Buffer) => (stderr += data.toString('utf8')));
    child.stdin.end(Array.from({ length: count }, (_, index) => `${JSON.stringify({ id: `${label}${String(index).padStart(3, '0')}`, role: 'user', content: `${label} ${index}` })}\n`).join(''));
    return new Promise((resolve, reject) => {
      child.once('exit', (code, signal) => (code === 0 ? resolve(stdout.trim().split('\n')) : reject(new Error(`append ${label} exited ${code ?? signal}: ${stderr}`))));
    });
  }

  it('keeps every message of both, each writer in its own order, and shows every reader one order', async (t) => {
    const spec = bed.spec();
    const store = await openRedisStore(spec, { indexDirectory: `${temp.path}/index` });
    try {
      const { id } = await store.create({ title: 'two writers' });
      const [first, second] = await Promise.all([stream(spec, id, 'a', 150), stream(spec, id, 'b', 150)]);
      const order = (await store.get(id))!.messages.map((message) => message.id);
      assert.equal(order.length, 300);
      assert.equal(new Set(order).size, 300, 'no message twice');
      assert.deepEqual(order.filter((each) => each.startsWith('a')), first, "the first writer's messages, in its order");
      assert.deepEqual(order.filter((each) => each.startsWith('b')), second, "the second writer's messages, in its order");
      for (let read = 0; read < 2; read++) {
        assert.deepEqual(cliJson<{ messages: { id: string }[] }>(['show', id], { store: spec, env }).messages.map((message) => message.id), order);
      }
      assert.equal((await store.list())[0].messageCount, 300);
      const switches = order.filter((each, index) => index > 0 && each[0] !== order[index - 1][0]).length;
      t.diagnostic(`the two streams interleaved ${switches} times`);
    } finally {
      await store.close();
    }
  });
});

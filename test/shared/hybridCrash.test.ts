import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { afterEach, describe, it } from 'node:test';
import { openRedisStore } from '../../src/stores/redis/openRedisStore';
import { aMessage, aSession } from '../helpers/builders';
import { CLI_PATH, cli, cliOk } from '../helpers/cli';
import { makeTempDir, waitFor } from '../helpers/tempDir';
import { RedisServer } from '../helpers/redisServers';
import { redisTestBed } from '../redis/redisFixtures';
import { freshPlace, openConnected } from './hybridFixtures';

// The outbox against kill -9: of the writer (the CLI, mid-stream) and of redis-server (mid-push).
// Every message acknowledged must reach Redis exactly once, in the local store's order.

const bed = redisTestBed('standalone');
const server = (): RedisServer => bed.server() as RedisServer;

async function teamMessageIds(remote: string, id: string): Promise<string[]> {
  const index = makeTempDir();
  const store = await openRedisStore(remote, { indexDirectory: index.path });
  try {
    return (await store.get(id))?.messages.map((message) => message.id) ?? [];
  } finally {
    await store.close();
    index.cleanup();
  }
}

async function killStreamingWriter(local: string, remote: string, sessionId: string, round: number): Promise<string[]> {
  const child = spawn(process.execPath, [CLI_PATH, '--store', local, '--remote', remote, 'append', sessionId, '--jsonl'], { stdio: ['pipe', 'pipe', 'pipe'] });
  const acked: string[] = [];
  let partial = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    const lines = (partial + chunk).split('\n');
    partial = lines.pop() ?? '';
    acked.push(...lines.filter((line) => line.length > 0));
  });
  child.stdin.on('error', () => undefined);
  let sent = 0;
  const feeder = setInterval(() => child.stdin.write(`${JSON.stringify({ role: 'user', content: `round ${round} message ${sent++}` })}\n`), 3);
  await waitFor(() => acked.length > 5 || child.exitCode !== null, 20_000).catch(() => undefined);
  await new Promise((resolve) => setTimeout(resolve, Math.random() * 200));
  child.kill('SIGKILL');
  await once(child, 'exit');
  clearInterval(feeder);
  return acked;
}

describe('hybrid store: kill -9', { timeout: 170_000 }, () => {
  const cleanups: (() => unknown)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) {
      await cleanup();
    }
  });

  it('of the writer: every acknowledged message is pushed by the next sync, once', async () => {
    const place = freshPlace(bed);
    cleanups.push(() => place.cleanup());
    const options = { store: place.local, env: { MULTICHAT_REMOTE: place.remote } };
    const sessionId = cliOk(['new', '--title', 'crash share'], options).trim();
    cliOk(['share', sessionId], options);
    const acked: string[] = [];
    for (let round = 0; round < 6; round++) {
      acked.push(...(await killStreamingWriter(place.local, place.remote, sessionId, round)));
    }
    assert.ok(acked.length > 30, `the writer acknowledged ${acked.length} messages`);
    const sync = cli(['sync', '--json'], options);
    assert.equal(sync.code, 0, sync.stderr);
    assert.equal(JSON.parse(sync.stdout).pending, 0);
    const team = await teamMessageIds(place.remote, sessionId);
    assert.equal(new Set(team).size, team.length, 'no message twice');
    assert.deepEqual(acked.filter((id) => !team.includes(id)), [], 'no acknowledged message left behind');
    const local = JSON.parse(cliOk(['show', sessionId], options)) as { messages: { id: string }[] };
    assert.deepEqual(team, local.messages.map((message) => message.id), 'the same order on both sides');
  });

  it('of redis-server mid-push: the outbox keeps everything until it is back', async () => {
    const place = freshPlace(bed);
    cleanups.push(() => place.cleanup());
    const store = await openConnected(place.local, place.remote, { author: 'alice' });
    cleanups.push(() => store.close());
    const session = await store.create(aSession({ title: 'Server dies' }));
    await store.sharing.share(session.id, 'hold');
    const acked: string[] = [];
    const writing = (async () => {
      for (let index = 0; index < 150; index++) {
        const [message] = await store.appendMessages(session.id, [aMessage({ content: `message ${index}` })]);
        acked.push(message.id);
        if (index === 40) {
          await server().kill();
        }
        if (index === 110) {
          await server().restart();
        }
      }
    })();
    await writing;
    await waitFor(() => store.sharing.status().remote.state === 'connected' && store.sharing.status().pending === 0, 30_000);
    const team = await teamMessageIds(place.remote, session.id);
    assert.deepEqual(team, acked, 'every acknowledged message, once, in order');
  });
});

import assert from 'node:assert/strict';
import { once } from 'node:events';
import { describe, it } from 'node:test';
import { openStore } from '../src/stores/openStore';
import { BACKENDS, cli, cliJson, cliOk, spawnCli, useFreshStore } from './helpers/cli';

const PER_WRITER = 150;

async function writeAll(store: string, sessionId: string, writer: string): Promise<string[]> {
  const child = spawnCli(['append', sessionId, '--jsonl'], store);
  let output = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const lines = Array.from({ length: PER_WRITER }, (_, i) => JSON.stringify({ role: 'user', content: `${writer}-${i}` }));
  child.stdin!.end(`${lines.join('\n')}\n`);
  const [code] = (await once(child, 'exit')) as [number];
  assert.equal(code, 0, `${writer} exited ${code}`);
  return output.trim().split('\n');
}

for (const backend of BACKENDS) {
  describe(`two processes appending at once on ${backend}`, () => {
    const fresh = useFreshStore(backend);

    it('keeps every message from both, each writer in its own order', async () => {
      const sessionId = cliOk(['new', '--title', 'shared'], { store: fresh.spec }).trim();
      const [a, b] = await Promise.all([writeAll(fresh.spec, sessionId, 'a'), writeAll(fresh.spec, sessionId, 'b'), writeAll(fresh.spec, sessionId, 'c').then(() => [])]);
      const shown = cliJson<{ messages: { id: string; content: string }[] }>(['show', sessionId], { store: fresh.spec });
      assert.equal(shown.messages.length, PER_WRITER * 3);
      const ids = shown.messages.map((m) => m.id);
      assert.deepEqual(ids.filter((id) => a.includes(id)), a);
      assert.deepEqual(ids.filter((id) => b.includes(id)), b);
      const contents = shown.messages.map((m) => m.content);
      for (const writer of ['a', 'b', 'c']) {
        const mine = contents.filter((c) => c.startsWith(`${writer}-`));
        assert.deepEqual(mine, Array.from({ length: PER_WRITER }, (_, i) => `${writer}-${i}`));
      }
      assert.deepEqual(cliJson(['show', sessionId], { store: fresh.spec }), shown, 'a second reader sees the same order');
      assert.equal(cli(['verify'], { store: fresh.spec }).code, 0);
    });

    it('keeps every message another process appends while this one reorders them', async () => {
      const sessionId = cliOk(['new', '--title', 'arranged'], { store: fresh.spec }).trim();
      const store = await openStore(fresh.spec);
      try {
        let done = false;
        const appended = writeAll(fresh.spec, sessionId, 'a').finally(() => (done = true));
        let reorders = 0;
        while (!done) {
          // Each time, the last message this process knows goes first: a reorder of messages
          // other appends are landing after (or, by the time it lands, before).
          const known = (await store.get(sessionId))?.messages ?? [];
          await store.reorderMessages(sessionId, known.slice(-1).map((m) => m.id));
          reorders++;
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
        const ids = await appended;
        assert.ok(reorders > 1, 'reordered while the appends went on');
        const shown = cliJson<{ messages: { id: string }[] }>(['show', sessionId], { store: fresh.spec }).messages.map((m) => m.id);
        assert.deepEqual([...shown].sort(), [...ids].sort(), 'every message, once');
        assert.deepEqual((await store.get(sessionId))?.messages.map((m) => m.id), shown, 'every reader sees one order');
        assert.equal(cli(['verify'], { store: fresh.spec }).code, 0);
      } finally {
        await store.close();
      }
    });

    it('keeps sessions created by several processes at once', async () => {
      const creators = Array.from({ length: 4 }, (_, i) => {
        const child = spawnCli(['new', '--title', `parallel ${i}`], fresh.spec);
        return once(child, 'exit');
      });
      await Promise.all(creators);
      assert.equal(cliJson<unknown[]>(['list', '--json'], { store: fresh.spec }).length, 4);
      assert.equal(cli(['verify'], { store: fresh.spec }).code, 0);
    });
  });
}

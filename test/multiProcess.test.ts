import assert from 'node:assert/strict';
import { once } from 'node:events';
import { describe, it } from 'node:test';
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

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BACKENDS, cli, cliJson, cliOk, useFreshStore } from './helpers/cli';

for (const backend of BACKENDS) {
  describe(`append --jsonl on ${backend}`, () => {
    const fresh = useFreshStore(backend);

    it('acknowledges each message with its id, in order', () => {
      const id = cliOk(['new', '--title', 'stream'], { store: fresh.spec }).trim();
      const input = ['{"role":"user","content":"a"}', '', '{"role":"assistant","content":"b\\nmultiline"}', '{"role":"system","content":"c"}'].join('\n');
      const acked = cliOk(['append', id, '--jsonl'], { store: fresh.spec, input }).trim().split('\n');
      const shown = cliJson<{ messages: { id: string; content: string }[] }>(['show', id], { store: fresh.spec });
      assert.deepEqual(shown.messages.map((m) => m.id), acked);
      assert.deepEqual(shown.messages.map((m) => m.content), ['a', 'b\nmultiline', 'c']);
    });

    it('stops at a bad line with exit 3 naming it, keeping what was acknowledged', () => {
      const id = cliOk(['new', '--title', 'stream'], { store: fresh.spec }).trim();
      const input = '{"role":"user","content":"kept"}\n{"role":"user","content":"also kept"}\nnot json\n{"role":"user","content":"never"}\n';
      const result = cli(['append', id, '--jsonl'], { store: fresh.spec, input });
      assert.equal(result.code, 3);
      assert.equal(result.stderr, 'multichat: line 3: not valid JSON\n');
      assert.equal(result.stdout.trim().split('\n').length, 2);
      const shown = cliJson<{ messages: { content: string }[] }>(['show', id], { store: fresh.spec });
      assert.deepEqual(shown.messages.map((m) => m.content), ['kept', 'also kept']);
    });

    it('names the line and the field for a message that is not valid', () => {
      const id = cliOk(['new', '--title', 'stream'], { store: fresh.spec }).trim();
      const wrongRole = cli(['append', id, '--jsonl'], { store: fresh.spec, input: '{"role":"robot","content":"x"}\n' });
      assert.equal(wrongRole.code, 3);
      assert.match(wrongRole.stderr, /^multichat: line 1: invalid message: role/);
      const extraField = cli(['append', id, '--jsonl'], { store: fresh.spec, input: '{"role":"user","content":"x","evil":1}\n' });
      assert.equal(extraField.code, 3);
      assert.equal(cli(['append', id, '--jsonl'], { store: fresh.spec, input: '[1,2]\n' }).code, 3);
      assert.equal(cli(['append', 'missing', '--jsonl'], { store: fresh.spec, input: '{"role":"user","content":"x"}\n' }).code, 4);
      assert.equal(cli(['append', id, '--jsonl', '--role', 'user'], { store: fresh.spec }).code, 2);
      assert.equal(cliJson<{ messages: unknown[] }>(['show', id], { store: fresh.spec }).messages.length, 0);
    });
  });
}

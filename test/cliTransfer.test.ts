import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { BACKENDS, cli, cliJson, cliOk, storeSpecFor } from './helpers/cli';
import { makeTempDir } from './helpers/tempDir';

interface Bundle {
  format: string;
  version: number;
  exportedAt: string;
  sessions: { id: string; title: string; messages: { id: string; content: string }[] }[];
}

function seed(store: string): string[] {
  const a = cliOk(['new', '--title', 'Alpha', '--tag', 'x'], { store }).trim();
  const b = cliOk(['new', '--title', 'Beta'], { store }).trim();
  cliOk(['append', a, '--jsonl'], { store, input: '{"role":"user","content":"one"}\n{"role":"assistant","content":"two"}\n' });
  cliOk(['append', b, '--role', 'system', '--content', 'three'], { store });
  return [a, b];
}

for (const backend of BACKENDS) {
  describe(`export, import and migrate on ${backend}`, () => {
    let temp: ReturnType<typeof makeTempDir>;
    let store: string;
    beforeEach(() => {
      temp = makeTempDir();
      store = storeSpecFor(backend, temp.path);
    });
    afterEach(() => temp.cleanup());

    it('exports a bundle that imports idempotently into another store', () => {
      const [a] = seed(store);
      const bundle = cliJson<Bundle>(['export'], { store });
      assert.equal(bundle.format, 'multichat-export');
      assert.equal(bundle.version, 1);
      assert.equal(bundle.sessions.length, 2);
      const file = join(temp.path, 'bundle.json');
      cliOk(['export', '--out', file], { store });
      const other = `json:${join(temp.path, 'other')}`;
      assert.equal(cliOk(['import', file], { store: other }).trim(), 'imported 2, updated 0, unchanged 0');
      assert.equal(cliOk(['import', file], { store: other }).trim(), 'imported 0, updated 0, unchanged 2');
      assert.deepEqual(cliJson(['import', file, '--json'], { store: other }), { imported: 0, updated: 0, unchanged: 2 });
      assert.deepEqual(cliJson(['show', a], { store: other }), cliJson(['show', a], { store }));
      const one = cliJson<Bundle>(['export', a], { store });
      assert.deepEqual(one.sessions.map((s) => s.id), [a]);
      assert.equal(cli(['export', 'missing-id'], { store }).code, 4);
    });

    it('exports Markdown', () => {
      seed(store);
      const markdown = cliOk(['export', '--format', 'markdown'], { store });
      assert.match(markdown, /^# Alpha$/m);
      assert.match(markdown, /^# Beta$/m);
      assert.match(markdown, /^three$/m);
    });

    it('rejects malformed bundles with exit 3 and changes nothing', () => {
      seed(store);
      const before = cliOk(['export'], { store });
      const valid = JSON.parse(before) as Bundle;
      const cases: Record<string, string> = {
        'not json': '{"format": "multichat-export", ',
        'wrong format': JSON.stringify({ ...valid, format: 'other' }),
        'wrong version': JSON.stringify({ ...valid, version: 99 }),
        'bad message in last session': JSON.stringify({ ...valid, sessions: [...valid.sessions, { ...valid.sessions[0], id: 'new-one', messages: [{ id: 'm', role: 'robot', content: 'x', createdAt: '2024-01-01T00:00:00.000Z' }] }] }),
        'path in id': JSON.stringify({ ...valid, sessions: [{ ...valid.sessions[0], id: '../../etc' }] }),
      };
      for (const [name, text] of Object.entries(cases)) {
        const file = join(temp.path, 'bad.json');
        writeFileSync(file, text);
        const result = cli(['import', file], { store });
        assert.equal(result.code, 3, name);
        assert.match(result.stderr, /^multichat: invalid bundle/, name);
      }
      assert.equal(cli(['import', join(temp.path, 'absent.json')], { store }).code, 3);
      assert.deepEqual(JSON.parse(cliOk(['export'], { store })).sessions, valid.sessions);
    });

    it('migrates to the other backend idempotently, with identical sessions', () => {
      const ids = seed(store);
      const target = backend === 'json' ? `sqlite:${join(temp.path, 'target.sqlite')}` : `json:${join(temp.path, 'target')}`;
      assert.match(cliOk(['migrate', '--to', target], { store }), /imported 2, updated 0, unchanged 0/);
      assert.deepEqual(cliJson(['migrate', '--to', target, '--json'], { store }), { imported: 0, updated: 0, unchanged: 2 });
      assert.deepEqual(cliJson(['list', '--json'], { store: target }), cliJson(['list', '--json'], { store }));
      for (const id of ids) {
        assert.deepEqual(cliJson(['show', id], { store: target }), cliJson(['show', id], { store }));
      }
      assert.equal(cliOk(['verify'], { store: target }), '');
    });

    it('writes --out atomically and leaves no temp files', () => {
      seed(store);
      const file = join(temp.path, 'out.md');
      cliOk(['export', '--format', 'markdown', '--out', file], { store });
      assert.match(readFileSync(file, 'utf8'), /# Alpha/);
    });
  });
}

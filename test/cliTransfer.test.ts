import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { BACKENDS, cli, cliJson, cliOk, useFreshStore } from './helpers/cli';

interface Bundle {
  format: string;
  version: number;
  exportedAt: string;
  sessions: { id: string; title: string; messages: { id: string; content: string }[] }[];
}

const DOCUMENTED_BUNDLE = join(__dirname, 'fixtures', 'bundles', 'documented-shape.json');

interface DocumentedSession {
  messageCount?: number;
  messages: { role: string }[];
}

function documentedBundle(): { sessions: DocumentedSession[] } {
  return JSON.parse(readFileSync(DOCUMENTED_BUNDLE, 'utf8')) as { sessions: DocumentedSession[] };
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
    const fresh = useFreshStore(backend);

    it('exports a bundle that imports idempotently into another store', () => {
      const [a] = seed(fresh.spec);
      const bundle = cliJson<Bundle>(['export'], { store: fresh.spec });
      assert.equal(bundle.format, 'multichat-export');
      assert.equal(bundle.version, 1);
      assert.equal(bundle.sessions.length, 2);
      const file = join(fresh.dir, 'bundle.json');
      cliOk(['export', '--out', file], { store: fresh.spec });
      const other = `json:${join(fresh.dir, 'other')}`;
      assert.equal(cliOk(['import', file], { store: other }).trim(), 'imported 2, updated 0, unchanged 0 (3 messages from 1 file)');
      assert.equal(cliOk(['import', file], { store: other }).trim(), 'imported 0, updated 0, unchanged 2 (3 messages from 1 file)');
      assert.deepEqual(cliJson(['import', file, '--json'], { store: other }), {
        imported: 0,
        updated: 0,
        unchanged: 2,
        messages: 3,
        units: 1,
        formats: ['multichat'],
        failed: [],
        skipped: {},
        cancelled: false,
      });
      assert.deepEqual(cliJson(['show', a], { store: other }), cliJson(['show', a], { store: fresh.spec }));
      const one = cliJson<Bundle>(['export', a], { store: fresh.spec });
      assert.deepEqual(one.sessions.map((s) => s.id), [a]);
      assert.equal(cli(['export', 'missing-id'], { store: fresh.spec }).code, 4);
    });

    it('exports Markdown', () => {
      seed(fresh.spec);
      const markdown = cliOk(['export', '--format', 'markdown'], { store: fresh.spec });
      assert.match(markdown, /^# Alpha$/m);
      assert.match(markdown, /^# Beta$/m);
      assert.match(markdown, /^three$/m);
    });

    it('rejects malformed bundles with exit 3 and changes nothing', () => {
      seed(fresh.spec);
      const before = cliOk(['export'], { store: fresh.spec });
      const valid = JSON.parse(before) as Bundle;
      const cases: Record<string, string> = {
        'not json': '{"format": "multichat-export", ',
        'wrong format': JSON.stringify({ ...valid, format: 'other' }),
        'wrong version': JSON.stringify({ ...valid, version: 99 }),
        'bad message in last session': JSON.stringify({ ...valid, sessions: [...valid.sessions, { ...valid.sessions[0], id: 'new-one', messages: [{ id: 'm', role: 'robot', content: 'x', createdAt: '2024-01-01T00:00:00.000Z' }] }] }),
        'path in id': JSON.stringify({ ...valid, sessions: [{ ...valid.sessions[0], id: '../../etc' }] }),
      };
      for (const [name, text] of Object.entries(cases)) {
        const file = join(fresh.dir, 'bad.json');
        writeFileSync(file, text);
        const result = cli(['import', file, '--from', 'multichat'], { store: fresh.spec });
        assert.equal(result.code, 3, name);
        assert.ok(result.stderr.startsWith(`multichat: not imported: ${file}: invalid bundle`), `${name}: ${result.stderr}`);
        assert.match(result.stdout, /^imported 0, updated 0, unchanged 0 \(0 messages from 1 file\); 1 file not imported$/m, name);
      }
      writeFileSync(join(fresh.dir, 'bad.json'), cases['wrong format']);
      const unrecognised = cli(['import', join(fresh.dir, 'bad.json')], { store: fresh.spec });
      assert.equal(unrecognised.code, 3);
      assert.match(unrecognised.stderr, /found nothing to import at .*bad\.json: it holds none of Multichat export.*--from/);
      assert.equal(cli(['import', join(fresh.dir, 'absent.json')], { store: fresh.spec }).code, 3);
      assert.deepEqual(JSON.parse(cliOk(['export'], { store: fresh.spec })).sessions, valid.sessions);
    });

    it('imports a bundle another program wrote to the documented shape, counting the fields it left out', () => {
      const file = DOCUMENTED_BUNDLE;
      const ignored = 'skipped 4 unknown parts (unknown field generator ×1, unknown field sessions[].color ×1, unknown field sessions[].messages[].tokens ×2)';
      assert.equal(cliOk(['import', file], { store: fresh.spec }).trim(), `imported 2, updated 0, unchanged 0 (2 messages from 1 file); ${ignored}`);
      assert.equal(cliOk(['import', file], { store: fresh.spec }).trim(), `imported 0, updated 0, unchanged 2 (2 messages from 1 file); ${ignored}`);
      assert.deepEqual(cliJson<{ skipped: unknown }>(['import', file, '--json'], { store: fresh.spec }).skipped, {
        'unknown field generator': 1,
        'unknown field sessions[].color': 1,
        'unknown field sessions[].messages[].tokens': 2,
      });
      const exported = cliJson<{ sessions: { source: string; messages: { content: string }[] }[] }>(['export', 'other-tool-0001', 'other-tool-0002'], { store: fresh.spec });
      assert.deepEqual(exported.sessions.map((session) => session.source), ['multichat', 'other-tool']);
      assert.deepEqual(exported.sessions[0].messages.map((m) => m.content), ['How do I rotate the logs?', 'Use logrotate with a weekly rule.']);
      assert.equal(cliOk(['verify'], { store: fresh.spec }), '');
    });

    it('imports a bundle of the sessions as `show --json` prints them (summary fields, no source)', () => {
      const ids = seed(fresh.spec);
      const sessions = ids.map((id) => cliJson<Record<string, unknown>>(['show', id], { store: fresh.spec }));
      assert.ok(sessions.every((session) => 'messageCount' in session && !('source' in session)));
      const file = join(fresh.dir, 'shown.json');
      writeFileSync(file, JSON.stringify({ format: 'multichat-export', version: 1, exportedAt: '2026-03-02T10:00:00.000Z', sessions }));
      const other = `json:${join(fresh.dir, 'other')}`;
      assert.equal(cliOk(['import', file], { store: other }).trim(), 'imported 2, updated 0, unchanged 0 (3 messages from 1 file)');
      for (const id of ids) {
        assert.deepEqual(cliJson(['show', id], { store: other }), cliJson(['show', id], { store: fresh.spec }));
      }
    });

    it('refuses a bundle broken in its last session, naming the place, and imports none of it', () => {
      seed(fresh.spec);
      const valid = JSON.parse(cliOk(['export'], { store: fresh.spec })) as Bundle;
      const cases: [string, (session: DocumentedSession) => void, string][] = [
        ['a bad role', (session) => (session.messages[1].role = 'robot'), 'sessions[2].messages[1].role: '],
        ['a wrong message count', (session) => (session.messageCount = 5), 'sessions[2].messageCount: 5, but the session has 2 messages'],
      ];
      for (const [name, breakIt, place] of cases) {
        const [broken, good] = documentedBundle().sessions;
        breakIt(broken);
        // Two good new sessions first, so that a partial import would show.
        const file = join(fresh.dir, 'broken.json');
        writeFileSync(file, JSON.stringify({ ...valid, sessions: [good, { ...valid.sessions[0], id: 'good-new-one' }, broken] }));
        const result = cli(['import', file], { store: fresh.spec });
        assert.equal(result.code, 3, name);
        assert.ok(result.stderr.startsWith(`multichat: not imported: ${file}: invalid bundle: ${place}`), `${name}: ${result.stderr}`);
      }
      assert.deepEqual(JSON.parse(cliOk(['export'], { store: fresh.spec })).sessions, valid.sessions);
    });

    it('migrates to the other backend idempotently, with identical sessions', () => {
      const ids = seed(fresh.spec);
      const target = backend === 'json' ? `sqlite:${join(fresh.dir, 'target.sqlite')}` : `json:${join(fresh.dir, 'target')}`;
      assert.match(cliOk(['migrate', '--to', target], { store: fresh.spec }), /imported 2, updated 0, unchanged 0/);
      assert.deepEqual(cliJson(['migrate', '--to', target, '--json'], { store: fresh.spec }), { imported: 0, updated: 0, unchanged: 2 });
      assert.deepEqual(cliJson(['list', '--json'], { store: target }), cliJson(['list', '--json'], { store: fresh.spec }));
      for (const id of ids) {
        assert.deepEqual(cliJson(['show', id], { store: target }), cliJson(['show', id], { store: fresh.spec }));
      }
      assert.equal(cliOk(['verify'], { store: target }), '');
    });

    it('writes --out atomically and leaves no temp files', () => {
      seed(fresh.spec);
      const file = join(fresh.dir, 'out.md');
      cliOk(['export', '--format', 'markdown', '--out', file], { store: fresh.spec });
      assert.match(readFileSync(file, 'utf8'), /# Alpha/);
    });
  });
}

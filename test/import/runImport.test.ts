import assert from 'node:assert/strict';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { importSession } from '../../src/core/importSession';
import { Session } from '../../src/core/model';
import { SessionStore } from '../../src/core/store';
import { exportToFolder, exportFileName } from '../../src/interop/exportFiles';
import { renderExport } from '../../src/interop/exportRender';
import { storeSessions } from '../../src/interop/exportStream';
import { runImport } from '../../src/interop/import/runImport';
import { openStore } from '../../src/stores/openStore';
import { cli, cliJson, cliOk } from '../helpers/cli';
import { makeTempDir } from '../helpers/tempDir';

function aSourceSession(id: string, replies: string[], updatedAt = '2026-05-01T10:10:00.000Z'): Session {
  const messages = replies.flatMap((reply, index) => [
    { id: `q${index}`, role: 'user' as const, content: `question ${index} about ${id}`, createdAt: `2026-05-01T10:0${index}:00.000Z` },
    { id: `a${index}`, role: 'assistant' as const, content: reply, createdAt: `2026-05-01T10:0${index}:30.000Z`, model: 'gpt-4o' },
  ]);
  return {
    id,
    title: `Session ${id}`,
    createdAt: '2026-05-01T10:00:00.000Z',
    updatedAt,
    lastMessageAt: messages.at(-1)?.createdAt ?? '2026-05-01T10:00:00.000Z',
    untitled: false,
    tags: ['imported'],
    pinned: false,
    source: 'copilot',
    messages,
  };
}

async function allSessions(store: SessionStore): Promise<Session[]> {
  const sessions: Session[] = [];
  for await (const session of await storeSessions(store)) {
    sessions.push(session);
  }
  return sessions.sort((a, b) => (a.id < b.id ? -1 : 1));
}

for (const backend of ['json', 'sqlite'] as const) {
  describe(`importing on ${backend}`, () => {
    const specIn = (dir: string, name: string): string => (backend === 'json' ? `json:${join(dir, name)}` : `sqlite:${join(dir, `${name}.sqlite`)}`);

    it('takes a reply that grew and the source order, keeps messages only the store has, and is idempotent', async () => {
      const temp = makeTempDir();
      const store = await openStore(specIn(temp.path, 'store'));
      try {
        assert.equal(await importSession(store, aSourceSession('s1', ['partial'])), 'imported');
        assert.equal(await importSession(store, aSourceSession('s1', ['partial'])), 'unchanged');
        const grown = aSourceSession('s1', ['partial, now whole', 'second'], '2026-05-01T10:20:00.000Z');
        grown.messages[1].incomplete = undefined;
        assert.equal(await importSession(store, grown), 'updated');
        const after = await store.get('s1');
        assert.deepEqual(after?.messages.map((message) => message.content), ['question 0 about s1', 'partial, now whole', 'question 1 about s1', 'second']);
        assert.equal(after?.updatedAt, grown.updatedAt);
        assert.equal(await importSession(store, grown), 'unchanged');
        // An older copy (a stale export) neither shrinks a reply nor reorders.
        assert.equal(await importSession(store, aSourceSession('s1', ['partial'], '2026-05-01T10:05:00.000Z')), 'unchanged');
        assert.equal((await store.get('s1'))?.messages[1].content, 'partial, now whole');
        // The source moved a request; a message written here stays, after them.
        await store.appendMessages('s1', [{ id: 'local', role: 'user', content: 'mine', createdAt: '2026-05-01T10:30:00.000Z' }]);
        const moved = structuredClone(grown);
        moved.updatedAt = '2026-05-01T10:40:00.000Z';
        moved.messages = [...moved.messages.slice(2), ...moved.messages.slice(0, 2)];
        assert.equal(await importSession(store, moved), 'updated');
        assert.deepEqual((await store.get('s1'))?.messages.map((message) => message.id), ['q1', 'a1', 'q0', 'a0', 'local']);
        assert.equal(await importSession(store, moved), 'unchanged');
      } finally {
        await store.close();
        temp.cleanup();
      }
    });

    it('round-trips: a JSON bundle and a folder of per-session files re-import as identical sessions', async () => {
      const temp = makeTempDir();
      const source = await openStore(specIn(temp.path, 'source'));
      try {
        for (const id of ['r1', 'r2', 'r3']) {
          await importSession(source, aSourceSession(id, ['one', 'with ```ts\ncode\n```'], '2026-05-01T11:00:00.000Z'));
        }
        await source.update('r2', { pinned: true, title: 'Pinned: a/b "quoted" ünïcode' });
        const original = await allSessions(source);
        const bundle = join(temp.path, 'all.json');
        writeFileSync(bundle, renderExport(original, 'json'));
        const folder = join(temp.path, 'each');
        const written = await exportToFolder(folder, await storeSessions(source), { format: 'json' });
        assert.equal(written.length, 3);
        assert.ok(readdirSync(folder).includes('pinned-a-b-quoted-unicode-r2.json'), readdirSync(folder).join(', '));
        for (const [name, path] of [['bundle', bundle], ['folder', folder]]) {
          const target = await openStore(specIn(temp.path, `target-${name}`));
          try {
            const report = await runImport(target, path);
            assert.deepEqual([report.imported, report.failed.length, report.formats], [3, 0, ['multichat']], name);
            assert.deepEqual(await allSessions(target), original, name);
            assert.equal((await runImport(target, path)).unchanged, 3, name);
          } finally {
            await target.close();
          }
        }
      } finally {
        await source.close();
        temp.cleanup();
      }
    });
  });
}

describe('an import run', () => {
  it('goes on past a broken file, naming it, and takes nothing from it', async () => {
    const temp = makeTempDir();
    const store = await openStore(`json:${join(temp.path, 'store')}`);
    try {
      const folder = join(temp.path, 'in');
      await exportToFolder(folder, (async function* () {
        yield aSourceSession('good1', ['a']);
        yield aSourceSession('bad', ['b']);
        yield aSourceSession('good2', ['c']);
      })(), { format: 'json' });
      const badFile = join(folder, exportFileName({ id: 'bad', title: 'Session bad' }, 'json'));
      writeFileSync(badFile, readFileSync(badFile, 'utf8').replace('"assistant"', '"robot"'));
      const report = await runImport(store, folder);
      assert.deepEqual([report.imported, report.units], [2, 3]);
      assert.equal(report.failed.length, 1);
      assert.equal(report.failed[0].path, badFile);
      assert.match(report.failed[0].error, new RegExp(`^${badFile.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: invalid bundle: sessions\\[0\\]\\.messages\\[1\\]\\.role: `));
      assert.deepEqual((await store.list()).map((summary) => summary.id).sort(), ['good1', 'good2']);
    } finally {
      await store.close();
      temp.cleanup();
    }
  });

  it('stops between sessions when cancelled, leaving whole sessions, and a second run finishes it', async () => {
    const temp = makeTempDir();
    const store = await openStore(`json:${join(temp.path, 'store')}`);
    try {
      const bundle = join(temp.path, 'many.json');
      const ids = Array.from({ length: 60 }, (_, index) => `c${index}`);
      writeFileSync(bundle, renderExport(ids.map((id) => aSourceSession(id, ['x', 'y'])), 'json'));
      const controller = new AbortController();
      const report = await runImport(store, bundle, {
        signal: controller.signal,
        onProgress: (progress) => progress.sessions === 2 && controller.abort(),
      });
      // Those already under way when it was cancelled finish; none is left in part.
      assert.equal(report.cancelled, true);
      assert.ok(report.imported >= 2 && report.imported < ids.length, `${report.imported}`);
      const kept = await store.list();
      assert.equal(kept.length, report.imported);
      assert.ok(kept.every((summary) => summary.messageCount === 4));
      const rest = await runImport(store, bundle);
      assert.deepEqual([rest.cancelled, rest.imported, rest.unchanged], [false, ids.length - report.imported, report.imported]);
    } finally {
      await store.close();
      temp.cleanup();
    }
  });

  it('leaves out units the caller knows are unchanged', async () => {
    const temp = makeTempDir();
    const store = await openStore(`json:${join(temp.path, 'store')}`);
    try {
      const folder = join(temp.path, 'in');
      await exportToFolder(folder, (async function* () {
        yield aSourceSession('k1', ['a']);
        yield aSourceSession('k2', ['b']);
      })(), { format: 'json' });
      const report = await runImport(store, folder, { skipUnit: (unit) => unit.path.endsWith('k2.json') });
      assert.deepEqual([report.imported, report.units], [1, 2]);
    } finally {
      await store.close();
      temp.cleanup();
    }
  });
});

describe('multichat export --out-dir and import', () => {
  it('writes one Markdown file per session, readable on GitHub, and a JSON folder that re-imports', () => {
    const temp = makeTempDir();
    try {
      const spec = `json:${join(temp.path, 'store')}`;
      const id = cliJson<{ id: string }>(['new', '--title', 'Parser plan', '--json'], { store: spec }).id;
      cliOk(['append', id, '--role', 'user', '--content', 'How do I parse?'], { store: spec });
      cliOk(['append', id, '--role', 'assistant', '--content', 'Like this:\n\n```ts\n# not a heading\nparse();\n```'], { store: spec });
      cliOk(['export', '--format', 'markdown', '--out-dir', join(temp.path, 'md')], { store: spec });
      const [file] = readdirSync(join(temp.path, 'md'));
      assert.equal(file, `parser-plan-${id}.md`);
      const markdown = readFileSync(join(temp.path, 'md', file), 'utf8');
      assert.match(markdown, /^# Parser plan$/m);
      assert.match(markdown, /^## User <sub>/m);
      assert.match(markdown, /```ts\n# not a heading\nparse\(\);\n```/);
      cliOk(['export', '--out-dir', join(temp.path, 'bundles')], { store: spec });
      const other = `json:${join(temp.path, 'other')}`;
      assert.match(cliOk(['import', join(temp.path, 'bundles')], { store: other }), /^imported 1, updated 0, unchanged 0/);
      assert.deepEqual(cliJson(['show', id], { store: other }), cliJson(['show', id], { store: spec }));
      assert.equal(cli(['export', '--out', 'x', '--out-dir', 'y'], { store: spec }).code, 2);
    } finally {
      temp.cleanup();
    }
  });
});

import assert from 'node:assert/strict';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { NewSession, Session } from '../src/core/model';
import { SessionStore } from '../src/core/store';
import { makeBundle } from '../src/interop/bundle';
import { renderExport } from '../src/interop/exportRender';
import { exportToFile, storeSessions, streamExport } from '../src/interop/exportStream';
import { sessionToMarkdown } from '../src/interop/markdown';
import { openStore } from '../src/stores/openStore';
import { cliOk } from './helpers/cli';
import { makeTempDir } from './helpers/tempDir';

// What export wrote before it streamed: the whole bundle or Markdown built in memory at once.
function bundleAsBefore(sessions: Session[]): string {
  return `${JSON.stringify(makeBundle(sessions), null, 2)}\n`;
}

function markdownAsBefore(sessions: Session[]): string {
  return sessions.map(sessionToMarkdown).join('\n---\n\n');
}

const EXPORTED_AT = /"exportedAt": "[^"]+"/;

function sameExportedAt(text: string): string {
  return text.replace(EXPORTED_AT, '"exportedAt": "…"');
}

/** Sessions with text that trips renderers: quotes, escapes, line breaks, non-ASCII, trailing blanks. */
function awkwardSession(index: number): NewSession {
  const padding = 'lorem ipsum '.repeat(index % 170);
  return {
    title: `Session ${index} “quoted” \\ back\\slash`,
    tags: index % 3 === 0 ? ['a', `t${index}`] : [],
    pinned: index % 7 === 0,
    messages: [
      { role: 'user', content: `line one\nline two\t"tab" ${padding}` },
      { role: 'assistant', content: `é ü 漢字 🙂 </script> \u2028 ${padding}  \n\n`, model: index % 2 === 0 ? 'm1' : undefined },
      { role: 'system', content: '', incomplete: index % 5 === 0 ? true : undefined },
    ],
  };
}

async function collect(sessions: AsyncIterable<Session>, format: 'json' | 'markdown'): Promise<string> {
  const parts: string[] = [];
  await streamExport(sessions, { write: async (text) => void parts.push(text) }, { format });
  return parts.join('');
}

async function* failingAfter(sessions: Session[], count: number): AsyncGenerator<Session> {
  for (const [index, session] of sessions.entries()) {
    if (index === count) {
      throw new Error('the store went away');
    }
    yield session;
  }
}

describe('streamed exports', () => {
  const temp = makeTempDir('multichat-export-');
  const spec = `json:${join(temp.path, 'store')}`;
  let store: SessionStore;
  let sessions: Session[];

  before(async () => {
    store = await openStore(spec);
    for (let index = 0; index < 600; index++) {
      await store.create(awkwardSession(index));
    }
    sessions = [];
    for await (const session of await storeSessions(store)) {
      sessions.push(session);
    }
  });

  after(async () => {
    await store.close();
    temp.cleanup();
  });

  it('write a big store byte for byte as the whole-store export did', async () => {
    assert.equal(sessions.length, 600);
    const json = await collect(await storeSessions(store), 'json');
    assert.ok(json.length > 1_000_000, 'more than a megabyte, so the file writer flushes many times');
    assert.equal(sameExportedAt(json), sameExportedAt(bundleAsBefore(sessions)));
    assert.equal(await collect(await storeSessions(store), 'markdown'), markdownAsBefore(sessions));
    assert.equal(sameExportedAt(renderExport(sessions, 'json')), sameExportedAt(bundleAsBefore(sessions)));
    assert.equal(renderExport([], 'json').replace(EXPORTED_AT, ''), bundleAsBefore([]).replace(EXPORTED_AT, ''));
    assert.equal(renderExport([], 'markdown'), '');
  });

  it('write the same bytes to a file, and the CLI prints them as before', async () => {
    const file = join(temp.path, 'export.json');
    assert.equal(await exportToFile(file, await storeSessions(store), { format: 'json' }), 600);
    assert.equal(sameExportedAt(readFileSync(file, 'utf8')), sameExportedAt(bundleAsBefore(sessions)));
    await store.close();
    try {
      // stdout gets what the CLI printed before: the text without trailing blanks, then one line break.
      assert.equal(sameExportedAt(cliOk(['export'], { store: spec })), sameExportedAt(`${bundleAsBefore(sessions).trimEnd()}\n`));
      assert.equal(cliOk(['export', '--format', 'markdown'], { store: spec }), `${markdownAsBefore(sessions).trimEnd()}\n`);
      const ids = [sessions[5].id, sessions[2].id];
      assert.equal(cliOk(['export', '--format', 'markdown', ...ids], { store: spec }), `${markdownAsBefore([sessions[5], sessions[2]]).trimEnd()}\n`);
      const out = join(temp.path, 'cli-export.md');
      cliOk(['export', '--format', 'markdown', '--out', out], { store: spec });
      assert.equal(readFileSync(out, 'utf8'), markdownAsBefore(sessions));
    } finally {
      store = await openStore(spec);
    }
  });

  it('leave the earlier file whole and no temp file behind when reading fails half way', async () => {
    const file = join(temp.path, 'kept.json');
    writeFileSync(file, 'the earlier export');
    await assert.rejects(exportToFile(file, failingAfter(sessions, 300), { format: 'json' }), /the store went away/);
    assert.equal(readFileSync(file, 'utf8'), 'the earlier export');
    const cancel = new AbortController();
    const stopping = exportToFile(file, failingAfter(sessions, 600), { format: 'markdown', signal: cancel.signal, onSession: (done) => done === 10 && cancel.abort() });
    await assert.rejects(stopping, { name: 'AbortError' });
    assert.equal(readFileSync(file, 'utf8'), 'the earlier export');
    assert.deepEqual(readdirSync(temp.path).filter((name) => name.includes('.tmp')), []);
  });

  it('check asked-for ids before anything is written', async () => {
    await assert.rejects(storeSessions(store, [sessions[0].id, 'no-such-session']), /no such session: no-such-session/);
  });
});

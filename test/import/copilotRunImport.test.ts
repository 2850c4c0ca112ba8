// A Copilot chatSessions folder imported into a real JSON store: a second run changes nothing,
// a session that grew in the source (a pushed request, a reply that grew) updates in place
// without duplicates, and a broken file beside good ones is reported while the others import.
import assert from 'node:assert/strict';
import { appendFileSync, cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { SessionStore } from '../../src/core/store';
import { writeCopilotHistory } from '../../src/cli/bench/copilotHistory';
import { runImport } from '../../src/interop/import/runImport';
import { openStore } from '../../src/stores/openStore';
import { makeTempDir } from '../helpers/tempDir';

const FIXTURES = join(__dirname, '..', 'fixtures', 'import', 'copilot');
const LOG_ID = 'e4b83f70-6a2c-4d91-b5e8-3f7a0c9d2b16';
const V3_ID = 'c91f6a2d-4b8e-4d17-9f3a-0e5c2b7d8a16';

async function withCopy(run: (workspace: string, store: SessionStore) => Promise<void>): Promise<void> {
  const temp = makeTempDir('multichat-copilot-import-');
  const workspace = join(temp.path, 'workspaceStorage', '5f2e9a7c41d08b3e6c1f2a9d8e7b4c60');
  cpSync(join(FIXTURES, 'workspaceStorage'), join(temp.path, 'workspaceStorage'), { recursive: true });
  const store = await openStore(`json:${join(temp.path, 'store')}`);
  try {
    await run(workspace, store);
  } finally {
    await store.close();
    temp.cleanup();
  }
}

function appendLog(workspace: string, ...entries: unknown[]): void {
  // The fixture ends in a torn line, which a reopened writer starts over: drop it, then append.
  const path = join(workspace, 'chatSessions', `${LOG_ID}.jsonl`);
  const text = readFileSync(path, 'utf8');
  writeFileSync(path, `${text.slice(0, text.lastIndexOf('\n') + 1)}${entries.map((entry) => `${JSON.stringify(entry)}\n`).join('')}`);
}

test('a log appended after its torn last line is broken mid-file, and refused', async () => {
  await withCopy(async (workspace, store) => {
    const path = join(workspace, 'chatSessions', `${LOG_ID}.jsonl`);
    appendFileSync(path, `\n${JSON.stringify({ kind: 1, k: ['customTitle'], v: 'Later' })}\n`);
    const report = await runImport(store, workspace);
    assert.deepEqual(report.failed.map((failure) => failure.path), [path]);
    assert.match(report.failed[0].error, /: line 12: not valid JSON/);
    assert.equal(report.imported, 3);
  });
});

test('a chatSessions folder imports once; a second run finds everything unchanged', async () => {
  await withCopy(async (workspace, store) => {
    const first = await runImport(store, workspace);
    assert.deepEqual(first.formats, ['copilot']);
    assert.deepEqual([first.imported, first.updated, first.unchanged, first.units, first.messages], [4, 0, 0, 5, 20]);
    assert.deepEqual(first.failed, []);
    assert.deepEqual(first.skipped, {
      'copilot response part (no kind)': 1,
      'copilot response part "fancyNewWidget"': 1,
      'copilot torn last log line': 1,
      'empty copilot session': 1,
    });
    const again = await runImport(store, workspace);
    assert.deepEqual([again.imported, again.updated, again.unchanged], [0, 0, 4]);
  });
});

test('a log that grew — a pushed request and a reply that grew — updates the session, nothing duplicated', async () => {
  await withCopy(async (workspace, store) => {
    await runImport(store, workspace);
    appendLog(
      workspace,
      { kind: 2, k: ['requests', 1, 'response'], v: [{ kind: 'markdownContent', content: { value: ' Never plain `--force`.' } }] },
      {
        kind: 2,
        k: ['requests'],
        v: [{ requestId: 'request_new', message: { text: 'And undo it?', parts: [] }, response: [{ kind: 'markdownContent', content: { value: 'Use `git reflog`.' } }], result: {}, timestamp: 1719500200000 }],
      },
      { kind: 1, k: ['lastMessageDate'], v: 1719500200000 },
    );
    const report = await runImport(store, workspace);
    assert.deepEqual([report.imported, report.updated, report.unchanged], [0, 1, 3]);
    const session = await store.get(`copilot-${LOG_ID}`);
    assert.deepEqual(
      session?.messages.map((message) => [message.id, message.content]),
      [
        ['copilot-request_41c9e2b7-8d3a-4f56-a1e0-7b2c9d4e6f18', 'How do I squash my last three commits?'],
        ['copilot-request_41c9e2b7-8d3a-4f56-a1e0-7b2c9d4e6f18-reply', 'Use `git rebase -i HEAD~3` and mark the later two commits as `squash`.'],
        ['copilot-request_b7d2f4a9-3c1e-4e85-9f6b-2a8d0c5e7b31', 'Then how do I push that?'],
        ['copilot-request_b7d2f4a9-3c1e-4e85-9f6b-2a8d0c5e7b31-reply', 'Run `git push --force-with-lease`. Never plain `--force`.'],
        ['copilot-request_new', 'And undo it?'],
        ['copilot-request_new-reply', 'Use `git reflog`.'],
      ],
    );
    assert.equal(session?.updatedAt, '2024-06-27T14:56:40.000Z');
    const again = await runImport(store, workspace);
    assert.deepEqual([again.imported, again.updated, again.unchanged], [0, 0, 4]);
  });
});

test('a broken file in the folder is reported, changes nothing, and the others still import', async () => {
  await withCopy(async (workspace, store) => {
    await runImport(store, workspace);
    const before = await store.get(`copilot-${V3_ID}`);
    const path = join(workspace, 'chatSessions', `${V3_ID}.json`);
    writeFileSync(path, JSON.stringify({ version: 3, sessionId: V3_ID, requests: [{ message: { text: 'changed' } }, { message: { text: 3 } }] }));
    const report = await runImport(store, workspace);
    assert.deepEqual(report.failed.map((failure) => failure.path), [path]);
    assert.match(report.failed[0].error, /requests\[1\]\.message\.text/);
    assert.deepEqual([report.imported, report.updated, report.unchanged], [0, 0, 3]);
    assert.deepEqual(await store.get(`copilot-${V3_ID}`), before);
  });
});

test('the benchmark history imports with the messages its writer counted', async () => {
  const temp = makeTempDir('multichat-copilot-bench-');
  const store = await openStore(`json:${join(temp.path, 'store')}`);
  try {
    const written = await writeCopilotHistory(join(temp.path, 'ws'), { sessions: 6, requestsPerSession: 5, replyBytes: 300 });
    assert.equal(written.messages, 60);
    const report = await runImport(store, join(temp.path, 'ws'));
    assert.deepEqual([report.imported, report.units, report.messages, report.failed.length], [6, 6, 60, 0]);
    assert.deepEqual(report.skipped, {});
    const logged = await store.get('copilot-00000000-0000-4000-8000-000000000001');
    assert.equal(logged?.messages.length, 10);
    assert.ok(logged?.messages.every((message) => !message.incomplete && message.content.length > 0));
  } finally {
    await store.close();
    temp.cleanup();
  }
});

test('the benchmark writer writes 100,000 messages in a few seconds', async () => {
  const temp = makeTempDir('multichat-copilot-bench-');
  try {
    const started = Date.now();
    const written = await writeCopilotHistory(temp.path, { sessions: 1_000, requestsPerSession: 50, replyBytes: 600 });
    assert.equal(written.messages, 100_000);
    assert.ok(Date.now() - started < 10_000, `took ${Date.now() - started} ms`);
  } finally {
    temp.cleanup();
  }
});

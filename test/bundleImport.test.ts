import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { isMultichatError } from '../src/core/errors';
import { describeImport, readBundle } from '../src/interop/bundle';

const DOCUMENTED = readFileSync(join(__dirname, 'fixtures', 'bundles', 'documented-shape.json'), 'utf8');

/** The documented-shape fixture as an object, changed by `edit`, as JSON text. */
function editedBundle(edit: (bundle: { sessions: Record<string, unknown>[] }) => void): string {
  const bundle = JSON.parse(DOCUMENTED) as { sessions: Record<string, unknown>[] };
  edit(bundle);
  return JSON.stringify(bundle);
}

function messagesOf(session: Record<string, unknown>): Record<string, unknown>[] {
  return session.messages as Record<string, unknown>[];
}

function assertRefused(text: string, message: RegExp, name = String(message)): void {
  assert.throws(() => readBundle(text), (error: unknown) => isMultichatError(error, 'invalid-input') && message.test(error.message), name);
}

describe('bundles written by other programs', () => {
  it('import with the summary fields, without source, and with fields of their own left out and counted', () => {
    const { sessions, ignoredFields } = readBundle(DOCUMENTED);
    assert.deepEqual(
      sessions.map((session) => [session.id, session.source, session.messages.length]),
      [
        ['other-tool-0001', 'multichat', 2],
        ['other-tool-0002', 'other-tool', 0],
      ],
    );
    assert.deepEqual(Object.keys(sessions[0]), ['id', 'title', 'createdAt', 'updatedAt', 'tags', 'pinned', 'source', 'messages', 'lastMessageAt', 'untitled']);
    // Bundles from before these fields existed: the time derived from the messages, the title kept as set.
    assert.deepEqual([sessions[0].lastMessageAt, sessions[0].untitled], [sessions[0].messages[1].createdAt, false]);
    assert.deepEqual(sessions[0].messages[1], {
      id: 'other-msg-2',
      role: 'assistant',
      content: 'Use logrotate with a weekly rule.',
      createdAt: '2026-03-01T09:05:00.000Z',
      model: 'gpt-x',
    });
    assert.deepEqual(ignoredFields, { generator: 1, 'sessions[].color': 1, 'sessions[].messages[].tokens': 2 });
  });

  it('say in the summary how many unknown fields were left out, and where', () => {
    const counts = { imported: 1, updated: 0, unchanged: 0 };
    assert.equal(describeImport(counts, {}), 'imported 1, updated 0, unchanged 0');
    assert.equal(describeImport(counts, { 'sessions[].color': 1 }), 'imported 1, updated 0, unchanged 0, ignored 1 unknown field (sessions[].color)');
    assert.equal(
      describeImport(counts, readBundle(DOCUMENTED).ignoredFields),
      'imported 1, updated 0, unchanged 0, ignored 4 unknown fields (generator, sessions[].color, sessions[].messages[].tokens)',
    );
  });

  it('refuse broken data, naming its place in the file', () => {
    const cases: [string, (bundle: { sessions: Record<string, unknown>[] }) => void, RegExp][] = [
      ['a role the model lacks', (b) => (messagesOf(b.sessions[0])[1].role = 'robot'), /^invalid bundle: sessions\[0\]\.messages\[1\]\.role: /],
      ['a message count that does not add up', (b) => (b.sessions[0].messageCount = 3), /^invalid bundle: sessions\[0\]\.messageCount: 3, but the session has 2 messages$/],
      ['a negative message count', (b) => (b.sessions[1].messageCount = -1), /^invalid bundle: sessions\[1\]\.messageCount: /],
      ['a missing title', (b) => delete b.sessions[1].title, /^invalid bundle: sessions\[1\]\.title: /],
      ['a source that is not text', (b) => (b.sessions[1].source = 7), /^invalid bundle: sessions\[1\]\.source: /],
      ['a path for an id', (b) => (b.sessions[1].id = '../../etc'), /^invalid bundle: sessions\[1\]\.id: /],
      ['a message without a time', (b) => delete messagesOf(b.sessions[0])[0].createdAt, /^invalid bundle: sessions\[0\]\.messages\[0\]\.createdAt: /],
      ['a message id twice', (b) => (messagesOf(b.sessions[0])[1].id = 'other-msg-1'), /^invalid bundle: sessions\[0\]\.messages\[1\]\.id: message id other-msg-1 appears twice$/],
      ['a session id twice', (b) => (b.sessions[1].id = 'other-tool-0001'), /^invalid bundle: sessions\[1\]\.id: session id other-tool-0001 appears twice$/],
      ['a session that is not an object', (b) => (b.sessions[1] = 'hello' as unknown as Record<string, unknown>), /^invalid bundle: sessions\[1\]: /],
    ];
    for (const [name, edit, message] of cases) {
      assertRefused(editedBundle(edit), message, name);
    }
  });

  it('are still refused when they are not bundles at all', () => {
    assertRefused('{"format": "multichat-export", ', /^invalid bundle: not JSON/);
    assertRefused(editedBundle((b) => Object.assign(b, { format: 'other' })), /^invalid bundle: format: not a multichat export/);
    assertRefused(editedBundle((b) => Object.assign(b, { version: 2 })), /^invalid bundle: version: unsupported export version/);
  });
});

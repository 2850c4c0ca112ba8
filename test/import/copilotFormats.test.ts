// What the Copilot importer makes of each shape VS Code writes: exact sessions for the hand-written
// fixtures (one per schema version, a log, an exported chat), and what discovery claims.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { Message, Session } from '../../src/core/model';
import { chatSessionsFolderOf, copilotImporter } from '../../src/interop/import/copilot/copilotImporter';
import { DEFAULT_READ_LIMITS, ParsedUnit } from '../../src/interop/import/importFormats';

const FIXTURES = join(__dirname, '..', 'fixtures', 'import', 'copilot');
const HASH_FOLDER = join(FIXTURES, 'workspaceStorage', '5f2e9a7c41d08b3e6c1f2a9d8e7b4c60');
const CHAT_SESSIONS = join(HASH_FOLDER, 'chatSessions');
const V1 = '3a4f1c2e-8d9b-4e61-a0f7-2c5b9e1d7a43.json';
const V2 = '7e0d5b18-2f6a-4c93-8b1e-5a9c0d3f7e24.json';
const V3 = 'c91f6a2d-4b8e-4d17-9f3a-0e5c2b7d8a16.json';
const LOG = 'e4b83f70-6a2c-4d91-b5e8-3f7a0c9d2b16.jsonl';
const EMPTY = 'f0a1b2c3-d4e5-4f60-8a7b-9c0d1e2f3a4b.json';

async function readFile(path: string): Promise<ParsedUnit> {
  return copilotImporter.read({ format: 'copilot', path }, DEFAULT_READ_LIMITS);
}

/** A message as [id, role, createdAt, content] plus its optional fields. */
function message(id: string, role: Message['role'], createdAt: string, content: string, extra: Partial<Message> = {}): Message {
  return { id, role, content, createdAt, ...extra };
}

function session(fields: Pick<Session, 'id' | 'title' | 'createdAt' | 'updatedAt' | 'lastMessageAt' | 'messages'>): Session {
  return { ...fields, untitled: false, tags: [], pinned: false, source: 'copilot' };
}

test('a version 1 session: plain-string messages, kindless markdown parts, no request ids or times', async () => {
  const parsed = await readFile(join(CHAT_SESSIONS, V1));
  const time = '2023-09-01T10:40:00.000Z';
  assert.deepEqual(parsed.sessions, [
    session({
      id: 'copilot-3a4f1c2e-8d9b-4e61-a0f7-2c5b9e1d7a43',
      title: 'What does the satisfies operator do?',
      createdAt: time,
      updatedAt: time,
      lastMessageAt: time,
      messages: [
        message('copilot-request-0', 'user', time, 'What does the `satisfies` operator do?'),
        message('copilot-request-0-reply', 'assistant', time, "It checks that an expression matches a type without widening the expression's own type."),
        message('copilot-request-1', 'user', time, 'Show an example'),
        message('copilot-request-1-reply', 'assistant', time, '```ts\nconst palette = { red: [255, 0, 0] } satisfies Record<string, number[]>;\n```'),
      ],
    }),
  ]);
  assert.deepEqual(parsed.skipped, { 'copilot response part (no kind)': 1 });
});

test('a version 2 session: computedTitle, a location reference, a response left without a result', async () => {
  const parsed = await readFile(join(CHAT_SESSIONS, V2));
  const first = 'copilot-request_0f3a7b61-54c2-4d8e-9a1f-3b6e2c9d4a70';
  const second = 'copilot-request_9e4b2a07-1c6d-4f38-b5e0-7a2d8c3f6b19';
  assert.deepEqual(parsed.sessions, [
    session({
      id: 'copilot-7e0d5b18-2f6a-4c93-8b1e-5a9c0d3f7e24',
      title: 'Explain the retry loop',
      createdAt: '2024-01-01T09:59:40.000Z',
      updatedAt: '2024-01-01T10:01:00.000Z',
      lastMessageAt: '2024-01-01T10:01:00.000Z',
      messages: [
        message(first, 'user', '2024-01-01T10:00:00.000Z', 'Why does the retry loop never stop?'),
        message(`${first}-reply`, 'assistant', '2024-01-01T10:00:02.300Z', 'Because `retry.ts` resets `attempt` on every pass.'),
        message(second, 'user', '2024-01-01T10:01:00.000Z', 'And how do I cap it at five tries?'),
        message(`${second}-reply`, 'assistant', '2024-01-01T10:01:00.000Z', 'Move `attempt` out of the loop and', { incomplete: true }),
      ],
    }),
  ]);
  assert.deepEqual(parsed.skipped, {});
});

test('a version 3 session: customTitle, lastMessageDate, tools, edits, a cancelled reply, an error, an unknown part', async () => {
  const parsed = await readFile(join(CHAT_SESSIONS, V3));
  const ids = ['6b2d1f84-3e7a-4c05-9d2b-8f1a6e4c3b57', 'd4e8a2c1-7b3f-4a69-8e05-1c9b6d2f4a83', '2c7f9b3e-5a1d-4e80-b6c4-9d3e7a1f2b68', '8a1e4d6b-2f9c-4b73-a05e-6c8d1b3f9e42'].map(
    (id) => `copilot-request_${id}`,
  );
  const code =
    'export function debounce<T extends unknown[]>(fn: (...args: T) => void, ms: number) {\n  let timer: ReturnType<typeof setTimeout> | undefined;\n  return (...args: T) => {\n    clearTimeout(timer);\n    timer = setTimeout(() => fn(...args), ms);\n  };\n}\n```';
  assert.deepEqual(parsed.sessions, [
    session({
      id: 'copilot-c91f6a2d-4b8e-4d17-9f3a-0e5c2b7d8a16',
      title: 'Debounce the search box',
      createdAt: '2024-05-30T08:59:50.000Z',
      updatedAt: '2024-05-30T09:06:45.000Z',
      lastMessageAt: '2024-05-30T09:06:41.200Z',
      messages: [
        message(ids[0], 'user', '2024-05-30T09:00:00.000Z', 'How do I debounce a function in TypeScript?'),
        message(`${ids[0]}-reply`, 'assistant', '2024-05-30T09:00:04.210Z', `Here is a small generic \`debounce\` helper:\n\n\`\`\`ts\n${code}\n\nIt is used in \`search.ts\` to wait for typing to stop.`, {
          model: 'copilot/gpt-4o',
        }),
        message(ids[1], 'user', '2024-05-30T09:02:00.000Z', 'Use it in the search box'),
        message(
          `${ids[1]}-reply`,
          'assistant',
          '2024-05-30T09:02:15.800Z',
          "*Read `search.ts`*\n\nI'll wire the helper into the search box.\n\n*Edited `search.ts`*\n\nDone: typing now waits 300 ms before searching.",
          { model: 'copilot/claude-sonnet-4' },
        ),
        message(ids[2], 'user', '2024-05-30T09:05:00.000Z', 'Also add a cancel method'),
        message(`${ids[2]}-reply`, 'assistant', '2024-05-30T09:05:00.000Z', 'Sure, let me', { model: 'copilot/gpt-4o', incomplete: true }),
        message(ids[3], 'user', '2024-05-30T09:06:40.000Z', 'Try again'),
        message(`${ids[3]}-reply`, 'assistant', '2024-05-30T09:06:41.200Z', '*Error: Sorry, your request failed. Please try again.*', { model: 'copilot/gpt-4o' }),
      ],
    }),
  ]);
  assert.deepEqual(parsed.skipped, { 'copilot response part "fancyNewWidget"': 1 });
});

test('a .jsonl log is replayed: sets, pushes (one truncating), a delete, and its torn last line dropped', async () => {
  const parsed = await readFile(join(CHAT_SESSIONS, LOG));
  const first = 'copilot-request_41c9e2b7-8d3a-4f56-a1e0-7b2c9d4e6f18';
  const second = 'copilot-request_b7d2f4a9-3c1e-4e85-9f6b-2a8d0c5e7b31';
  assert.deepEqual(parsed.sessions, [
    session({
      id: 'copilot-e4b83f70-6a2c-4d91-b5e8-3f7a0c9d2b16',
      title: 'Squash commits',
      createdAt: '2024-06-27T14:53:10.000Z',
      updatedAt: '2024-06-27T14:54:21.000Z',
      lastMessageAt: '2024-06-27T14:54:20.900Z',
      messages: [
        message(first, 'user', '2024-06-27T14:53:20.000Z', 'How do I squash my last three commits?'),
        message(`${first}-reply`, 'assistant', '2024-06-27T14:53:23.100Z', 'Use `git rebase -i HEAD~3` and mark the later two commits as `squash`.', { model: 'copilot/gpt-4.1' }),
        message(second, 'user', '2024-06-27T14:54:20.000Z', 'Then how do I push that?'),
        // The truncating push replaced the draft; the deleted errorDetails leaves no error line.
        message(`${second}-reply`, 'assistant', '2024-06-27T14:54:20.900Z', 'Run `git push --force-with-lease`.', { model: 'copilot/gpt-4.1' }),
      ],
    }),
  ]);
  assert.deepEqual(parsed.skipped, { 'copilot torn last log line': 1 });
});

test('an exported chat gets an id from its first request and times from its requests', async () => {
  const parsed = await readFile(join(FIXTURES, 'exported-chat.json'));
  const first = 'copilot-request_5f8c3a1d-9e2b-4d70-a6f4-1b3e8c7d2a95';
  const second = 'copilot-request_a2e7b9c4-6d1f-4a38-8e5b-0c9f3d2a7b61';
  assert.deepEqual(parsed.sessions, [
    session({
      id: 'copilot-export-679868ed961f20c875d85cf4394bb29f',
      title: 'Write a regex for ISO dates',
      createdAt: '2024-06-21T08:53:20.000Z',
      updatedAt: '2024-06-21T08:55:01.500Z',
      lastMessageAt: '2024-06-21T08:55:01.500Z',
      messages: [
        message(first, 'user', '2024-06-21T08:53:20.000Z', 'Write a regex for ISO dates'),
        message(`${first}-reply`, 'assistant', '2024-06-21T08:53:22.000Z', '`^\\d{4}-\\d{2}-\\d{2}$` matches `2024-06-21`.', { model: 'copilot/gpt-4o' }),
        message(second, 'user', '2024-06-21T08:55:00.000Z', 'Allow times too'),
        message(`${second}-reply`, 'assistant', '2024-06-21T08:55:01.500Z', 'Add an optional `T\\d{2}:\\d{2}` group.', { model: 'copilot/gpt-4o' }),
      ],
    }),
  ]);
});

test('a session with no requests is not imported, only counted', async () => {
  assert.deepEqual(await readFile(join(CHAT_SESSIONS, EMPTY)), { sessions: [], skipped: { 'empty copilot session': 1 } });
});

test('discovery finds the session files from a chatSessions folder, its workspace folder, or workspaceStorage, in name order', async () => {
  const expected = [V1, V2, V3, LOG, EMPTY].sort().map((name) => join(CHAT_SESSIONS, name));
  for (const path of [CHAT_SESSIONS, HASH_FOLDER, join(FIXTURES, 'workspaceStorage')]) {
    for (const claimOnly of [true, false]) {
      const units = await copilotImporter.discover(path, claimOnly);
      assert.deepEqual(
        units.map((unit) => unit.path),
        expected,
        `${path} claimOnly=${claimOnly}`,
      );
    }
  }
});

test('auto-detection claims Copilot files by a peek, and leaves other JSON alone', async () => {
  assert.equal((await copilotImporter.discover(join(CHAT_SESSIONS, LOG), true)).length, 1);
  assert.equal((await copilotImporter.discover(join(CHAT_SESSIONS, V1), true)).length, 1);
  assert.equal((await copilotImporter.discover(join(FIXTURES, 'exported-chat.json'), true)).length, 1);
  const bundle = join(__dirname, '..', 'fixtures', 'bundles', 'documented-shape.json');
  assert.deepEqual(await copilotImporter.discover(bundle, true), []);
  assert.deepEqual(await copilotImporter.discover(join(FIXTURES, 'workspaceStorage', 'missing'), true), []);
  // A folder that is not Copilot's is claimed only when the user names the format.
  assert.deepEqual(await copilotImporter.discover(FIXTURES, true), []);
  assert.deepEqual(
    (await copilotImporter.discover(FIXTURES, false)).map((unit) => unit.path),
    [join(FIXTURES, 'exported-chat.json')],
  );
});

test("chatSessionsFolderOf finds Copilot's folder beside an extension's workspace storage", () => {
  assert.equal(chatSessionsFolderOf('/home/me/.config/Code/User/workspaceStorage/abc123/multichat.multichat-sessions'), '/home/me/.config/Code/User/workspaceStorage/abc123/chatSessions');
  assert.equal(chatSessionsFolderOf('/ws/abc123/multichat.multichat-sessions/'), '/ws/abc123/chatSessions');
});

import assert from 'node:assert/strict';
import { cpSync, mkdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { MemorySessionStore } from '../../src/core/memoryStore';
import { Session } from '../../src/core/model';
import { clineImporter } from '../../src/interop/import/cline/clineImporter';
import { DEFAULT_READ_LIMITS, ParsedUnit, SkippedParts, mergeSkipped } from '../../src/interop/import/importFormats';
import { runImport } from '../../src/interop/import/runImport';
import { openStore } from '../../src/stores/openStore';
import { makeTempDir } from '../helpers/tempDir';

const FIXTURES = join(__dirname, '..', 'fixtures', 'import', 'cline');
const CLINE = join(FIXTURES, 'saoudrizwan.claude-dev');
const ROO = join(FIXTURES, 'rooveterinaryinc.roo-cline');
const FIRST_TASK = join(CLINE, 'tasks', '1718000000000');

const common = { untitled: false, tags: [], pinned: false };
const at = (ms: number): string => new Date(ms).toISOString();

const VERBOSE_TASK: Session = {
  ...common,
  id: 'cline-1718000000000',
  title: 'Add a --verbose flag to the CLI',
  createdAt: at(1718000000000),
  // taskHistory.json's ts: the task's last activity, after its last ui message.
  updatedAt: at(1718000040000),
  lastMessageAt: at(1718000036000),
  source: 'cline',
  messages: [
    { id: 'm0000', role: 'user', content: 'Add a --verbose flag to the CLI', createdAt: at(1718000001000) },
    { id: 'm0001', role: 'assistant', content: "I'll read the CLI entry point first.\n\n*Tool: `read_file` (path: src/cli.ts)*", createdAt: at(1718000005000), model: 'claude-3-5-sonnet-20240620' },
    {
      id: 'm0003',
      role: 'assistant',
      content:
        "I'll add the flag next to `--quiet`.\n\n*Tool: `replace_in_file` (path: src/cli.ts, diff: ------- SEARCH program.option('-q, --quiet', 'print less'); ======= program.option('-q, --quiet', 'print less'); program.option('-v, --…)*",
      createdAt: at(1718000030000),
      model: 'claude-3-5-sonnet-20240620',
    },
    { id: 'm0004', role: 'user', content: 'Also document it in the README', createdAt: at(1718000031000) },
    { id: 'm0005', role: 'assistant', content: 'Done: `--verbose` is added and documented in the README.', createdAt: at(1718000036000), model: 'claude-3-opus-20240229' },
  ],
};

const WINDOWS_TASK: Session = {
  ...common,
  id: 'cline-1718100000000',
  title: 'Why does `npm test` fail on Windows?',
  createdAt: at(1718100000000),
  updatedAt: at(1718100060000),
  lastMessageAt: at(1718100060000),
  source: 'cline',
  messages: [
    { id: 'm0000', role: 'user', content: 'Why does `npm test` fail on Windows?', createdAt: at(1718100000100) },
    { id: 'm0001', role: 'assistant', content: "The test joins paths with '/'. Use `path.join` instead.", createdAt: at(1718100004000), model: 'gpt-4o' },
    { id: 'm0002', role: 'user', content: 'Thanks, that fixed it', createdAt: at(1718100060000) },
  ],
};

const ROO_TASK: Session = {
  ...common,
  id: 'roo-0193f5a2-7c1e-7b3a-9d2e-4f5a6b7c8d9e',
  // Roo shows the task as a plain `text` message, so the title comes from the first user message.
  title: 'Rename the fetchUser helper to loadUser',
  createdAt: at(1719000000000),
  updatedAt: at(1719000011000),
  lastMessageAt: at(1719000010000),
  source: 'roo',
  messages: [
    { id: 'm0000', role: 'user', content: 'Rename the `fetchUser` helper to `loadUser`', createdAt: at(1719000000500) },
    { id: 'm0001', role: 'assistant', content: "I'll search for usages first.\n\n<search_files>\n<path>src</path>\n<regex>fetchUser</regex>\n</search_files>", createdAt: at(1719000003000) },
    { id: 'm0002', role: 'user', content: "[search_files for 'fetchUser'] Result:\n\nFound 2 results.", createdAt: at(1719000004000) },
    { id: 'm0003', role: 'assistant', content: 'Renamed it in both files.', createdAt: at(1719000010000) },
  ],
};

async function readAll(path: string): Promise<ParsedUnit> {
  const all: ParsedUnit = { sessions: [], skipped: {} };
  for (const unit of await clineImporter.discover(path, false)) {
    const parsed = await clineImporter.read(unit, DEFAULT_READ_LIMITS);
    all.sessions.push(...parsed.sessions);
    mergeSkipped(all.skipped, parsed.skipped);
  }
  return all;
}

/** A copy of a fixture folder to change, removed when the test ends. */
function copyOf(fixture: string, t: { after: (fn: () => void) => void }): string {
  const temp = makeTempDir('multichat-cline-');
  t.after(temp.cleanup);
  const copy = join(temp.path, 'saoudrizwan.claude-dev');
  cpSync(fixture, copy, { recursive: true });
  return copy;
}

test('Cline global storage: each task is one session, with times, models and titles', async () => {
  const { sessions, skipped } = await readAll(CLINE);
  assert.deepEqual(sessions, [VERBOSE_TASK, WINDOWS_TASK]);
  const expected: SkippedParts = { 'cline environment details': 5, 'cline tool result': 2, 'cline thinking': 1, 'cline image': 1 };
  assert.deepEqual(skipped, expected);
});

test('Roo Code tasks are read the same way and recorded as Roo', async () => {
  const { sessions, skipped } = await readAll(ROO);
  assert.deepEqual(sessions, [ROO_TASK]);
  assert.deepEqual(skipped, { 'cline environment details': 2 });
});

test('discovery: global storage, a tasks folder, one task folder, or its conversation file', async () => {
  const tasks = [join(CLINE, 'tasks', '1718000000000'), join(CLINE, 'tasks', '1718100000000')];
  for (const claimOnly of [false, true]) {
    assert.deepEqual((await clineImporter.discover(CLINE, claimOnly)).map((unit) => unit.path), tasks);
    assert.deepEqual((await clineImporter.discover(join(CLINE, 'tasks'), claimOnly)).map((unit) => unit.path), tasks);
    assert.deepEqual((await clineImporter.discover(FIRST_TASK, claimOnly)).map((unit) => unit.path), [FIRST_TASK]);
    assert.deepEqual((await clineImporter.discover(join(FIRST_TASK, 'api_conversation_history.json'), claimOnly)).map((unit) => unit.path), [FIRST_TASK]);
  }
  // One task, found on its own, still takes its title and time from taskHistory.json.
  const [unit] = await clineImporter.discover(FIRST_TASK, true);
  assert.deepEqual((await clineImporter.read(unit, DEFAULT_READ_LIMITS)).sessions, [VERBOSE_TASK]);
  assert.deepEqual(await clineImporter.discover(join(FIRST_TASK, 'ui_messages.json'), true), []);
  assert.deepEqual(await clineImporter.discover(join(CLINE, 'state'), false), []);
});

test('a folder of tasks under another name is Cline only when asked for', async (t) => {
  const temp = makeTempDir('multichat-cline-');
  t.after(temp.cleanup);
  cpSync(join(CLINE, 'tasks'), join(temp.path, 'backup'), { recursive: true });
  assert.deepEqual(await clineImporter.discover(join(temp.path, 'backup'), true), []);
  assert.equal((await clineImporter.discover(join(temp.path, 'backup'), false)).length, 2);
  const report = await runImport(new MemorySessionStore(), join(temp.path, 'backup'), { from: 'cline' });
  assert.equal(report.imported, 2);
});

test('import into a JSON store: again changes nothing; a task that grew is updated, not duplicated', async (t) => {
  const temp = makeTempDir('multichat-cline-store-');
  t.after(temp.cleanup);
  const source = copyOf(CLINE, t);
  const store = await openStore(`json:${join(temp.path, 'store')}`);
  t.after(() => store.close());

  const first = await runImport(store, source);
  assert.deepEqual([first.imported, first.updated, first.unchanged, first.messages, first.failed.length], [2, 0, 0, 8, 0]);
  assert.deepEqual(first.formats, ['cline']);
  const again = await runImport(store, source);
  assert.deepEqual([again.imported, again.updated, again.unchanged], [0, 0, 2]);

  const task = join(source, 'tasks', '1718100000000');
  const api = JSON.parse(readFileSync(join(task, 'api_conversation_history.json'), 'utf8')) as unknown[];
  api.push({ role: 'assistant', content: [{ type: 'text', text: 'Glad it works.' }], ts: 1718100065000, modelInfo: { modelId: 'gpt-4o' } });
  writeFileSync(join(task, 'api_conversation_history.json'), JSON.stringify(api));
  const ui = JSON.parse(readFileSync(join(task, 'ui_messages.json'), 'utf8')) as unknown[];
  ui.push({ ts: 1718100065000, type: 'say', say: 'text', text: 'Glad it works.' });
  writeFileSync(join(task, 'ui_messages.json'), JSON.stringify(ui));

  const grown = await runImport(store, source);
  assert.deepEqual([grown.imported, grown.updated, grown.unchanged], [0, 1, 1]);
  const session = await store.get('cline-1718100000000');
  assert.deepEqual(
    session?.messages.map((message) => message.id),
    ['m0000', 'm0001', 'm0002', 'm0003'],
  );
  assert.equal(session?.messages[3].content, 'Glad it works.');
  assert.equal(session?.updatedAt, at(1718100065000));
  assert.equal((await store.list()).length, 2);
  const last = await runImport(store, source);
  assert.deepEqual([last.imported, last.updated, last.unchanged], [0, 0, 2]);
});

test('optional files may be missing; a task without any time takes its folder time', async (t) => {
  const temp = makeTempDir('multichat-cline-');
  t.after(temp.cleanup);
  const task = join(temp.path, 'tasks', 'not-a-time');
  mkdirSync(task, { recursive: true });
  writeFileSync(join(task, 'api_conversation_history.json'), JSON.stringify([{ role: 'user', content: '<task>\nHi\n</task>' }, { role: 'assistant', content: 'Hello.' }]));
  mkdirSync(join(temp.path, 'tasks', 'no-conversation'));
  writeFileSync(join(temp.path, 'tasks', 'no-conversation', 'ui_messages.json'), '[]');
  utimesSync(task, new Date(1720000000000), new Date(1720000000000));
  const units = await clineImporter.discover(join(temp.path, 'tasks'), true);
  assert.deepEqual(
    units.map((unit) => unit.path),
    [task],
  );
  const [session] = (await clineImporter.read(units[0], DEFAULT_READ_LIMITS)).sessions;
  assert.equal(session.title, 'Hi');
  assert.equal(session.createdAt, at(1720000000000));
  assert.deepEqual(
    session.messages.map((message) => [message.id, message.role, message.content, message.createdAt]),
    [
      ['m0000', 'user', 'Hi', at(1720000000000)],
      ['m0001', 'assistant', 'Hello.', at(1720000000000)],
    ],
  );
});

test('a task whose messages hold nothing worth keeping is not imported, and counted', async (t) => {
  const temp = makeTempDir('multichat-cline-');
  t.after(temp.cleanup);
  const task = join(temp.path, '1718000000000');
  mkdirSync(task);
  writeFileSync(join(task, 'api_conversation_history.json'), JSON.stringify([{ role: 'user', content: [{ type: 'text', text: '<environment_details>x</environment_details>' }] }]));
  const [unit] = await clineImporter.discover(task, true);
  assert.deepEqual(await clineImporter.read(unit, DEFAULT_READ_LIMITS), { sessions: [], skipped: { 'cline environment details': 1, 'cline empty task': 1 } });
});

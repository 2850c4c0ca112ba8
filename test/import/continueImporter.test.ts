import assert from 'node:assert/strict';
import { cpSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { Session } from '../../src/core/model';
import { continueImporter } from '../../src/interop/import/continue/continueImporter';
import { DEFAULT_READ_LIMITS, ParsedUnit, mergeSkipped } from '../../src/interop/import/importFormats';
import { runImport } from '../../src/interop/import/runImport';
import { openStore } from '../../src/stores/openStore';
import { makeTempDir } from '../helpers/tempDir';

const FIXTURE = join(__dirname, '..', 'fixtures', 'import', 'continue', '.continue');
const RETRY = '3f1c2a9e-5b7d-4e21-9a0c-1d2e3f4a5b6c';
const AGENT = '8a7b6c5d-4e3f-4a1b-8c9d-0e1f2a3b4c5d';
const UNINDEXED = 'c0ffee00-1111-4222-8333-444455556666';
const EMPTY = 'd1e2f3a4-0000-4000-8000-000000000000';
/** The mtime the copy's unindexed session gets: with no index entry, its only date. */
const MTIME = 1720000000000;

const at = (ms: number): string => new Date(ms).toISOString();
const common = { untitled: false, tags: [], pinned: false, source: 'continue' };
/** Continue's messages have no times: each takes its session's. */
const timed = (time: string, messages: Omit<Session['messages'][number], 'createdAt'>[]) => messages.map((message) => ({ ...message, createdAt: time }));

const RETRY_SESSION: Session = {
  ...common,
  id: `continue-${RETRY}`,
  title: 'Explain the retry loop',
  createdAt: at(1718200000000),
  updatedAt: at(1718200000000),
  lastMessageAt: at(1718200000000),
  messages: timed(at(1718200000000), [
    { id: 'm0000', role: 'user', content: 'What does this retry loop do?' },
    { id: 'm0001', role: 'assistant', content: 'It retries the request up to three times, doubling the delay each time.', model: 'Claude 3.5 Sonnet' },
    { id: 'm0002', role: 'user', content: 'Why doubling?' },
    { id: 'm0003', role: 'assistant', content: 'Exponential backoff spreads retries out,\nso a struggling server gets time to recover.', model: 'Claude 3.5 Sonnet' },
  ]),
};

const AGENT_SESSION: Session = {
  ...common,
  id: `continue-${AGENT}`,
  // The file says only "New Session"; the index has the name.
  title: 'Tests for parseArgs',
  createdAt: at(1718300000000),
  updatedAt: at(1718300000000),
  lastMessageAt: at(1718300000000),
  messages: timed(at(1718300000000), [
    { id: 'm0000', role: 'system', content: 'You are in agent mode. Use tools when they help.' },
    { id: 'm0001', role: 'user', content: 'Add a test for parseArgs' },
    { id: 'm0003', role: 'assistant', content: '*Tool: `read_file` (filepath: src/args.ts)*', model: 'GPT-4o' },
    { id: 'm0005', role: 'assistant', content: 'Added `test/args.test.ts` with three cases.', model: 'GPT-4o' },
  ]),
};

const UNINDEXED_SESSION: Session = {
  ...common,
  id: `continue-${UNINDEXED}`,
  title: 'How do I squash the last two commits?',
  createdAt: at(MTIME),
  updatedAt: at(MTIME),
  lastMessageAt: at(MTIME),
  messages: timed(at(MTIME), [
    { id: 'm0000', role: 'user', content: 'How do I **squash** the last two commits?' },
    { id: 'm0001', role: 'assistant', content: 'Run `git rebase -i HEAD~2` and mark the second one `squash`.' },
  ]),
};

/** A copy of the `.continue` fixture with a fixed mtime on the unindexed session. */
function copyOfFixture(t: { after: (fn: () => void) => void }): string {
  const temp = makeTempDir('multichat-continue-');
  t.after(temp.cleanup);
  const copy = join(temp.path, '.continue');
  cpSync(FIXTURE, copy, { recursive: true });
  utimesSync(join(copy, 'sessions', `${UNINDEXED}.json`), new Date(MTIME), new Date(MTIME));
  return copy;
}

async function readAll(path: string): Promise<ParsedUnit> {
  const all: ParsedUnit = { sessions: [], skipped: {} };
  for (const unit of await continueImporter.discover(path, false)) {
    const parsed = await continueImporter.read(unit, DEFAULT_READ_LIMITS);
    all.sessions.push(...parsed.sessions);
    mergeSkipped(all.skipped, parsed.skipped);
  }
  return all;
}

test('a .continue folder: each session file is a session, dated by sessions.json', async (t) => {
  const { sessions, skipped } = await readAll(copyOfFixture(t));
  assert.deepEqual(sessions, [RETRY_SESSION, AGENT_SESSION, UNINDEXED_SESSION]);
  assert.deepEqual(skipped, { 'continue image': 1, 'continue thinking message': 1, 'continue tool message': 1, 'continue empty session': 1 });
});

test('discovery: a .continue folder, its sessions folder, or one session file; never sessions.json', async () => {
  const sessions = join(FIXTURE, 'sessions');
  const files = [RETRY, AGENT, UNINDEXED, EMPTY].map((id) => join(sessions, `${id}.json`));
  for (const claimOnly of [false, true]) {
    assert.deepEqual((await continueImporter.discover(FIXTURE, claimOnly)).map((unit) => unit.path), files);
    assert.deepEqual((await continueImporter.discover(sessions, claimOnly)).map((unit) => unit.path), files);
    assert.deepEqual((await continueImporter.discover(files[0], claimOnly)).map((unit) => unit.path), [files[0]]);
    assert.deepEqual(await continueImporter.discover(join(sessions, 'sessions.json'), claimOnly), []);
  }
  // A session file found on its own still takes its date and title from the index beside it.
  const [unit] = await continueImporter.discover(join(sessions, `${AGENT}.json`), true);
  assert.deepEqual((await continueImporter.read(unit, DEFAULT_READ_LIMITS)).sessions, [AGENT_SESSION]);
});

test('import into a JSON store: again changes nothing; a session that grew is updated, not duplicated', async (t) => {
  const source = copyOfFixture(t);
  const temp = makeTempDir('multichat-continue-store-');
  t.after(temp.cleanup);
  const store = await openStore(`json:${join(temp.path, 'store')}`);
  t.after(() => store.close());

  const first = await runImport(store, source);
  assert.deepEqual([first.imported, first.updated, first.unchanged, first.messages, first.units, first.failed.length], [3, 0, 0, 10, 4, 0]);
  assert.deepEqual(first.formats, ['continue']);
  assert.deepEqual(first.skipped, { 'continue image': 1, 'continue thinking message': 1, 'continue tool message': 1, 'continue empty session': 1 });
  const again = await runImport(store, source);
  assert.deepEqual([again.imported, again.updated, again.unchanged], [0, 0, 3]);

  const file = join(source, 'sessions', `${RETRY}.json`);
  const session = JSON.parse(readFileSync(file, 'utf8')) as { history: unknown[] };
  session.history.push({ message: { role: 'user', content: 'And the jitter?' }, contextItems: [] }, { message: { role: 'assistant', content: 'Jitter keeps clients from retrying in step.' }, contextItems: [] });
  writeFileSync(file, JSON.stringify(session, undefined, 2));

  const grown = await runImport(store, source);
  assert.deepEqual([grown.imported, grown.updated, grown.unchanged], [0, 1, 2]);
  const stored = await store.get(`continue-${RETRY}`);
  assert.deepEqual(
    stored?.messages.map((message) => [message.id, message.content]),
    [...RETRY_SESSION.messages.map((message) => [message.id, message.content]), ['m0004', 'And the jitter?'], ['m0005', 'Jitter keeps clients from retrying in step.']],
  );
  assert.equal((await store.list()).length, 3);
  const last = await runImport(store, source);
  assert.deepEqual([last.imported, last.updated, last.unchanged], [0, 0, 3]);
});

test('a session the index does not know keeps the same date while its file is unchanged', async (t) => {
  const source = copyOfFixture(t);
  const [first] = (await readAll(source)).sessions.filter((session) => session.id === `continue-${UNINDEXED}`);
  const [second] = (await readAll(source)).sessions.filter((session) => session.id === `continue-${UNINDEXED}`);
  assert.deepEqual(first, second);
  assert.equal(first.createdAt, at(MTIME));
});

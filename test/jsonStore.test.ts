import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { isMultichatError } from '../src/core/errors';
import { SessionStore, StoreChange } from '../src/core/store';
import { JsonStoreOptions, openJsonStore } from '../src/stores/json/jsonStore';
import { readSummaryIndex } from '../src/stores/json/catalog/summaryIndex';
import { compactRecords } from '../src/stores/json/log/logRepair';
import { sessionStoreContract } from './contract/sessionStoreContract';
import { aMessage, aSession, someMessages } from './helpers/builders';
import { OpenedStores } from './helpers/stores';
import { makeTempDir, waitFor } from './helpers/tempDir';

sessionStoreContract(
  'json',
  async () => {
    const temp = makeTempDir();
    const directory = join(temp.path, '.multichat');
    return { open: () => openJsonStore(directory), cleanup: async () => temp.cleanup() };
  },
  { durable: true },
);

describe('JSON store specifics', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let directory: string;
  const opened = new OpenedStores();
  const open = (options: JsonStoreOptions = {}): Promise<SessionStore> => opened.track(openJsonStore(directory, options));
  const fileOf = (id: string): string => join(directory, `${id}.jsonl`);
  const linesOf = (id: string): Record<string, unknown>[] =>
    readFileSync(fileOf(id), 'utf8')
      .split('\n')
      .filter((line) => line.length > 0)
      .map((line) => JSON.parse(line) as Record<string, unknown>);

  beforeEach(() => {
    temp = makeTempDir();
    directory = join(temp.path, 'nested', '.multichat');
  });
  afterEach(async () => {
    await opened.closeAll();
    temp.cleanup();
  });

  it('names itself by absolute path and creates its folder with the first session', async () => {
    const store = await open();
    assert.equal(store.spec, `json:${directory}`);
    assert.equal(existsSync(directory), false);
    await store.create(aSession());
    assert.ok(statSync(directory).isDirectory());
  });

  it('keeps each session as one human-readable JSON-lines file: a header, then records', async () => {
    const store = await open();
    const { id } = await store.create(aSession({ title: 'Readable', messages: [aMessage({ content: 'first\nline' })] }));
    await store.appendMessages(id, [aMessage({ role: 'assistant', content: 'second' })]);
    await store.update(id, { pinned: true });
    const records = linesOf(id);
    assert.deepEqual(records.map((r) => r.type), ['session', 'message', 'message', 'update']);
    assert.equal(records[0].id, id);
    assert.equal(records[0].title, 'Readable');
    assert.equal(records[0].schema, 1);
    assert.deepEqual(records.slice(1, 3).map((r) => r.content), ['first\nline', 'second']);
    assert.equal(records[3].pinned, true);
    assert.equal(readFileSync(fileOf(id), 'utf8').split('\n').length, 5, 'one record per line');
  });

  it('appends without rewriting: same inode, earlier bytes untouched', async () => {
    const store = await open();
    const { id } = await store.create(aSession({ messages: someMessages(10) }));
    const before = readFileSync(fileOf(id));
    const { ino } = statSync(fileOf(id));
    for (let i = 0; i < 5; i++) {
      await store.appendMessages(id, [aMessage({ content: `more ${i}` })]);
    }
    await store.update(id, { title: 'Still appending' });
    const after = readFileSync(fileOf(id));
    assert.equal(statSync(fileOf(id)).ino, ino);
    assert.ok(after.length > before.length);
    assert.deepEqual(after.subarray(0, before.length), before);
  });

  it('loses nothing when index.json is deleted', async () => {
    let store = await open();
    const a = await store.create(aSession({ title: 'A', messages: someMessages(2) }));
    const b = await store.create(aSession({ title: 'B' }));
    await store.update(a.id, { title: 'A renamed' });
    const listed = await store.list();
    await store.close();
    assert.ok(existsSync(join(directory, 'index.json')), 'close saves the index');
    rmSync(join(directory, 'index.json'));
    store = await open();
    assert.deepEqual(await store.list(), listed);
    // B was created after A's last message; renaming A does not move it ahead.
    assert.deepEqual((await store.list()).map((s) => s.id), [b.id, a.id]);
  });

  it('trusts index.json only for files that have not changed since it was written', async () => {
    let store = await open();
    const { id } = await store.create(aSession({ messages: someMessages(2) }));
    await store.close();
    const indexed = readSummaryIndex(join(directory, 'index.json'));
    assert.equal(indexed.entries.get(id)?.summary?.messageCount, 2);
    // Another tool appends behind the store's back: the index is now stale for this file.
    appendFileSync(fileOf(id), `${JSON.stringify({ type: 'message', id: 'behind-the-back', role: 'user', content: 'hand added', createdAt: '2030-01-01T00:00:00.000Z' })}\n`);
    store = await open();
    const [summary] = await store.list();
    assert.equal(summary.messageCount, 3);
    assert.equal(summary.updatedAt, '2030-01-01T00:00:00.000Z');
    assert.equal((await store.get(id))?.messages.at(-1)?.content, 'hand added');
  });

  it('picks up a session file written by another process within a second, with an external event', async () => {
    mkdirSync(directory, { recursive: true });
    const store = await open();
    const changes: StoreChange[] = [];
    store.onDidChange((change) => changes.push(change));
    const header = { type: 'session', schema: 1, id: 'from-child', title: 'Written elsewhere', createdAt: '2024-01-01T00:00:00.000Z', updatedAt: '2024-01-01T00:00:00.000Z', tags: [], pinned: false, source: 'test' };
    const script = `require('fs').writeFileSync(process.argv[1] + '.tmp', process.argv[2]); require('fs').renameSync(process.argv[1] + '.tmp', process.argv[1]);`;
    const started = Date.now();
    const child = spawnSync(process.execPath, ['-e', script, fileOf('from-child'), `${JSON.stringify(header)}\n`]);
    assert.equal(child.status, 0);
    await waitFor(async () => (await store.list()).some((s) => s.id === 'from-child'), 1_000);
    assert.ok(Date.now() - started < 1_500);
    await waitFor(() => changes.some((c) => c.kind === 'created' && c.external), 1_000);
    assert.equal((await store.get('from-child'))?.title, 'Written elsewhere');
  });

  it('ignores files that are not sessions', async () => {
    mkdirSync(directory, { recursive: true });
    writeFileSync(join(directory, 'notes.txt'), 'hello');
    writeFileSync(join(directory, 'bad name.jsonl'), 'not a session');
    writeFileSync(join(directory, 'abc.jsonl.123456'), 'a temp file');
    mkdirSync(join(directory, 'x.jsonl.lock'));
    const store = await open();
    await store.create(aSession({ id: 'abc' }));
    assert.deepEqual((await store.list()).map((s) => s.id), ['abc']);
    assert.deepEqual(await store.verify(), { problems: [], repairs: [] });
  });

  it('saves streamed replies as edits and compacts them once the reply is complete', async () => {
    const store = await open();
    const { id } = await store.create(aSession());
    const [reply] = await store.appendMessages(id, [{ role: 'assistant', content: '', incomplete: true }]);
    let content = '';
    for (let i = 0; i < 80; i++) {
      content += `chunk ${i} ${'x'.repeat(40)} `;
      await store.updateMessage(id, reply.id, { content });
    }
    assert.ok(linesOf(id).filter((r) => r.type === 'edit').length >= 80, 'each version is appended');
    await store.updateMessage(id, reply.id, { content, incomplete: false });
    await store.close();
    const records = linesOf(id);
    assert.deepEqual(records.map((r) => r.type), ['session', 'message']);
    assert.equal(records[1].content, content);
    const reopened = await open();
    const message = (await reopened.get(id))?.messages[0];
    assert.equal(message?.content, content);
    assert.equal(message?.incomplete, false);
    assert.equal((await reopened.search('chunk 79'))[0]?.messageId, reply.id);
  });

  it('compacts a reordered log into its folded order, leaving the order records out', async () => {
    const store = await open();
    const { id } = await store.create(aSession({ messages: [aMessage({ id: 'q1', content: 'question one' }), aMessage({ id: 'q2', content: 'question two' })] }));
    await store.update(id, { pinned: true });
    const [reply] = await store.appendMessages(id, [{ role: 'assistant', content: '', incomplete: true }]);
    let content = '';
    for (let i = 0; i < 80; i++) {
      content += `chunk ${i} ${'x'.repeat(40)} `;
      await store.updateMessage(id, reply.id, { content });
    }
    await store.reorderMessages(id, [reply.id, 'q2']);
    await store.updateMessage(id, reply.id, { content, incomplete: false });
    const before = await store.get(id);
    await store.close();
    const records = linesOf(id);
    assert.deepEqual(records.map((r) => r.type), ['session', 'update', 'message', 'message', 'message']);
    assert.deepEqual(records.slice(2).map((r) => r.id), [reply.id, 'q2', 'q1']);
    const reopened = await open();
    assert.deepEqual(await reopened.get(id), before, 'the same session, times included');
    assert.equal((await reopened.search('chunk 79'))[0]?.messageId, reply.id);
    assert.equal((await reopened.search('question'))[0]?.messageId, 'q2');
  });

  it('compacts a log that reorders have grown', async () => {
    const store = await open();
    const { id } = await store.create(aSession({ messages: someMessages(200) }));
    let ids = (await store.get(id))?.messages.map((m) => m.id) ?? [];
    for (let i = 0; i < 21; i++) {
      ids = [...ids].reverse();
      await store.reorderMessages(id, ids);
    }
    const before = await store.get(id);
    await store.close();
    const records = linesOf(id);
    assert.equal(records.filter((r) => r.type === 'message').length, 200);
    // Each order names all 200 ids: some 15 of them make a compaction worth it; later ones may follow it.
    assert.ok(records.filter((r) => r.type === 'order').length < 10, 'the orders before the compaction are folded away');
    const reopened = await (await open()).get(id);
    assert.deepEqual(reopened?.messages.map((m) => m.id), ids);
    assert.deepEqual(reopened, before);
  });

  it('searches in folded order, also after an order that named a message before it arrived', async () => {
    const store = await open();
    const { id } = await store.create(aSession({ messages: [aMessage({ id: 'm1', content: 'kafka one' }), aMessage({ id: 'm2', content: 'other' })] }));
    const firstMatch = async (): Promise<string | undefined> => (await store.get(id))?.messages.find((m) => m.content.includes('kafka'))?.id;
    // Listed before it exists, m3 is ignored by this order and comes last when appended.
    await store.reorderMessages(id, ['m3', 'm2']);
    await store.appendMessages(id, [aMessage({ id: 'm3', content: 'kafka three' })]);
    assert.equal(await firstMatch(), 'm1');
    assert.equal((await store.search('kafka'))[0]?.messageId, 'm1');
    await store.reorderMessages(id, ['m3']);
    await store.appendMessages(id, [aMessage({ id: 'm4', content: 'kafka four' })]);
    assert.equal(await firstMatch(), 'm3');
    const [hit] = await store.search('kafka');
    assert.deepEqual([hit?.messageId, hit?.score], ['m3', 3]);
    assert.equal((await store.search('four'))[0]?.messageId, 'm4');
  });

  it('rejects operations after close', async () => {
    const store = await open();
    await store.close();
    await assert.rejects(store.list(), (error: unknown) => isMultichatError(error, 'unavailable'));
  });
});

describe('JSON store folder', () => {
  it('is created by the first write, not by opening, and other stores then follow it', async () => {
    const temp = makeTempDir();
    const directory = join(temp.path, 'not-yet');
    const reader = await openJsonStore(directory);
    try {
      assert.deepEqual(await reader.list(), []);
      assert.deepEqual((await reader.verify()).problems, []);
      assert.equal(existsSync(directory), false, 'opening and reading leave no folder behind');
      const writer = await openJsonStore(directory);
      const summary = await writer.create({ title: 'First' });
      await writer.close();
      assert.equal(existsSync(directory), true);
      await waitFor(async () => (await reader.list()).some((s) => s.id === summary.id), 3_000);
    } finally {
      await reader.close();
      temp.cleanup();
    }
  });
});

describe('JSON log compaction', () => {
  const at = (second: number): string => `2024-06-01T00:00:${String(second).padStart(2, '0')}.000Z`;
  const header = { type: 'session', schema: 1, id: 's', title: 'T', createdAt: at(0), updatedAt: at(0), tags: [], pinned: false, source: 'multichat' };
  const message = (id: string, second: number): object => ({ type: 'message', id, role: 'user', content: id, createdAt: at(second) });
  const log = (...records: object[]): Buffer => Buffer.from(records.map((record) => `${JSON.stringify(record)}\n`).join(''));
  const typesAndIds = (bytes: Buffer | undefined): string[] | undefined =>
    bytes
      ?.toString()
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string; id: string })
      .map((record) => `${record.type}:${record.id}`);

  it('keeps messages in their places when nothing reordered them, and moves them all to the last one when something did', () => {
    const update = { type: 'update', id: 'u', pinned: true, updatedAt: at(3) };
    const edit = { type: 'edit', id: 'e', messageId: 'a', content: 'a, edited' };
    assert.deepEqual(typesAndIds(compactRecords(log(header, message('a', 1), update, message('b', 4), edit))), ['session:s', 'message:a', 'update:u', 'message:b']);
    const order = { type: 'order', id: 'o', messageIds: ['b'] };
    assert.deepEqual(typesAndIds(compactRecords(log(header, message('a', 1), update, message('b', 4), order, message('c', 5)))), ['session:s', 'update:u', 'message:b', 'message:a', 'message:c']);
  });

  it('leaves a log alone when moving its messages would change its updatedAt', () => {
    // An import set updatedAt back past message a: moved after that update, a would move it forward again.
    const backdated = { type: 'update', id: 'u', updatedAt: at(2) };
    const order = { type: 'order', id: 'o', messageIds: ['b'] };
    assert.equal(compactRecords(log(header, message('a', 9), backdated, message('b', 1), order)), undefined);
  });
});

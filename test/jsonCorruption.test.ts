import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { SessionStore } from '../src/core/store';
import { TORN_MARKER } from '../src/stores/fs/appendLog';
import { JsonStoreOptions, openJsonStore } from '../src/stores/json/jsonStore';
import { readSummaryIndex } from '../src/stores/json/catalog/summaryIndex';
import { aMessage, aSession, someMessages } from './helpers/builders';
import { OpenedStores } from './helpers/stores';
import { makeTempDir } from './helpers/tempDir';

/**
 * Damaged session files — a crash's torn line, a bad merge, a hand edit, garbage — are reported
 * and never stop the other sessions from loading; repair quarantines and never deletes.
 */
const FIXTURES = join(__dirname, 'fixtures', 'json');
const QUIET: JsonStoreOptions = { watch: false, indexSaveDelayMs: 60_000 };

describe('JSON store with damaged files', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let directory: string;
  const opened = new OpenedStores();
  const open = (options: JsonStoreOptions = QUIET): Promise<SessionStore> => opened.track(openJsonStore(directory, options));
  const fileOf = (id: string): string => join(directory, `${id}.jsonl`);
  const addFixture = (id: string): string => {
    copyFileSync(join(FIXTURES, `${id}.jsonl`), fileOf(id));
    return fileOf(id);
  };

  beforeEach(async () => {
    temp = makeTempDir();
    directory = join(temp.path, 'store');
    mkdirSync(directory);
    const store = await open();
    addFixture('fixture-good');
    await store.close();
  });
  afterEach(async () => {
    await opened.closeAll();
    temp.cleanup();
  });

  it('reads a well-formed fixture: messages, then metadata updates in file order', async () => {
    const store = await open();
    const session = await store.get('fixture-good');
    assert.equal(session?.title, 'Parser performance');
    assert.deepEqual(session?.tags, ['work', 'perf']);
    assert.equal(session?.updatedAt, '2024-05-01T10:00:03.000Z');
    assert.deepEqual(session?.messages.map((m) => m.content), ['How do I make the parser faster?', 'Cache the token table.\nThen profile again.']);
    assert.deepEqual(await store.verify(), { problems: [], repairs: [] });
  });

  it('loads a file whose last line was torn by a crash, verifies clean, and appends after it', async () => {
    let store = await open();
    const { id } = await store.create(aSession({ messages: someMessages(3) }));
    await store.close();
    const size = readFileSync(fileOf(id)).length;
    truncateSync(fileOf(id), size - 20);
    store = await open();
    assert.deepEqual((await store.get(id))?.messages.map((m) => m.content), ['message number 0', 'message number 1']);
    assert.deepEqual((await store.verify()).problems, []);
    await store.appendMessages(id, [aMessage({ content: 'after the crash' })]);
    await store.close();
    store = await open();
    const contents = (await store.get(id))?.messages.map((m) => m.content);
    assert.deepEqual(contents, ['message number 0', 'message number 1', 'after the crash']);
    assert.ok(readFileSync(fileOf(id), 'utf8').includes(`\n${TORN_MARKER}\n`), 'the torn line is sealed off');
    assert.deepEqual((await store.verify()).problems, []);
  });

  it('reports garbage in the middle of a file by file and line, and still loads the rest', async () => {
    const path = addFixture('fixture-garbage');
    const store = await open();
    const session = await store.get('fixture-garbage');
    assert.deepEqual(session?.messages.map((m) => m.content), ['before the damage', 'after the damage']);
    assert.deepEqual((await store.list()).map((s) => s.id).sort(), ['fixture-garbage', 'fixture-good']);
    assert.equal((await store.get('fixture-good'))?.messages.length, 2);
    const { problems } = await store.verify();
    assert.equal(problems.length, 1);
    assert.equal(problems[0].where, path);
    assert.match(problems[0].what, /^line 3: not valid JSON/);
  });

  it('skips and reports files with no readable header: garbage, empty, truncated header, newer schema', async () => {
    writeFileSync(fileOf('noise'), Buffer.from(Array.from({ length: 300 }, (_, i) => (i * 37 + 11) % 256)));
    writeFileSync(fileOf('empty'), '');
    addFixture('fixture-truncated');
    addFixture('fixture-newer');
    const store = await open();
    assert.deepEqual((await store.list()).map((s) => s.id), ['fixture-good']);
    assert.equal(await store.get('empty'), undefined);
    const { problems } = await store.verify();
    const byFile = new Map(problems.map((p) => [p.where, p.what]));
    assert.equal(byFile.size, 4);
    assert.match(byFile.get(fileOf('empty')) ?? '', /empty/);
    assert.match(byFile.get(fileOf('fixture-truncated')) ?? '', /no complete session header/);
    assert.match(byFile.get(fileOf('fixture-newer')) ?? '', /newer version/);
    assert.ok(byFile.has(fileOf('noise')));
  });

  it('skips a hand-edited record that fails validation and names it', async () => {
    const path = addFixture('fixture-robot');
    const store = await open();
    assert.deepEqual((await store.get('fixture-robot'))?.messages.map((m) => m.id), ['robot-m1', 'robot-m3']);
    const { problems } = await store.verify();
    assert.deepEqual(problems.map((p) => p.where), [path]);
    assert.match(problems[0].what, /^line 3: invalid message record \(role/);
  });

  it('skips order records that fail validation, names each, and keeps them out of a repair', async () => {
    const path = addFixture('fixture-order');
    const store = await open();
    const arranged = ['order-m3', 'order-m1', 'order-m2'];
    assert.deepEqual((await store.get('fixture-order'))?.messages.map((m) => m.id), arranged, 'only the valid order applies');
    const { problems } = await store.verify();
    assert.deepEqual(problems.map((p) => p.where), Array.from({ length: 5 }, () => path));
    assert.deepEqual(
      problems.map((p) => p.what.replace(/ \(.*/, '')),
      [5, 6, 7, 8, 9].map((line) => `line ${line}: invalid order record`),
    );
    assert.match(problems[0].what, /messageIds\.1/);
    assert.match(problems[2].what, /id order-m2 appears twice/);
    const report = await store.verify({ repair: true });
    assert.match(report.repairs[0] ?? '', /its 5 valid records \(5 left out\)/);
    assert.deepEqual((await store.get('fixture-order'))?.messages.map((m) => m.id), arranged);
    assert.deepEqual(await store.verify(), { problems: [], repairs: [] });
  });

  it('rejects a file whose header names another session (a copied file)', async () => {
    copyFileSync(join(FIXTURES, 'fixture-good.jsonl'), fileOf('copy-of-good'));
    const store = await open();
    assert.equal(await store.get('copy-of-good'), undefined);
    assert.match((await store.verify()).problems[0]?.what ?? '', /names session fixture-good/);
  });

  it('rebuilds a corrupt index.json from the session files, reporting it until repaired', async () => {
    const indexPath = join(directory, 'index.json');
    writeFileSync(indexPath, '{"version":1,"sessions":{<<<<<<< ours');
    const store = await open();
    assert.deepEqual((await store.list()).map((s) => s.id), ['fixture-good']);
    assert.deepEqual((await store.verify()).problems.map((p) => p.where), [indexPath]);
    const { repairs } = await store.verify({ repair: true });
    assert.deepEqual(repairs, ['rebuilt index.json from the session files']);
    assert.equal(readSummaryIndex(indexPath).status, 'ok');
    assert.deepEqual([...readSummaryIndex(indexPath).entries.keys()], ['fixture-good']);
    assert.deepEqual(await store.verify(), { problems: [], repairs: [] });
  });

  it('repairs by quarantining: copies keep the original bytes, files are rewritten or moved, nothing is deleted', async () => {
    const damaged = readFileSync(addFixture('fixture-garbage'));
    const robot = readFileSync(addFixture('fixture-robot'));
    const truncated = readFileSync(addFixture('fixture-truncated'));
    const store = await open();
    const report = await store.verify({ repair: true });
    assert.equal(report.problems.length, 3);
    assert.equal(report.repairs.length, 3);
    const quarantined = readdirSync(join(directory, 'quarantine'));
    const copyOf = (name: string): Buffer => {
      const copy = quarantined.find((file) => file.startsWith(`${name}.jsonl.`));
      assert.ok(copy, `${name} is in quarantine`);
      return readFileSync(join(directory, 'quarantine', copy));
    };
    assert.deepEqual(copyOf('fixture-garbage'), damaged);
    assert.deepEqual(copyOf('fixture-robot'), robot);
    assert.deepEqual(copyOf('fixture-truncated'), truncated);
    assert.equal(existsSync(fileOf('fixture-truncated')), false, 'an unreadable file is moved, not copied');
    assert.deepEqual((await store.get('fixture-garbage'))?.messages.map((m) => m.id), ['garbage-m1', 'garbage-m2']);
    assert.deepEqual((await store.get('fixture-robot'))?.messages.map((m) => m.id), ['robot-m1', 'robot-m3']);
    assert.deepEqual(await store.verify(), { problems: [], repairs: [] });
    await store.close();
    const reopened = await open();
    assert.deepEqual((await reopened.list()).map((s) => s.id).sort(), ['fixture-garbage', 'fixture-good', 'fixture-robot']);
    assert.deepEqual(await reopened.verify(), { problems: [], repairs: [] });
  });

  it('keeps appending to a repaired session', async () => {
    addFixture('fixture-garbage');
    const store = await open();
    await store.verify({ repair: true });
    await store.appendMessages('fixture-garbage', [aMessage({ content: 'after repair' })]);
    assert.equal((await store.get('fixture-garbage'))?.messages.at(-1)?.content, 'after repair');
    assert.deepEqual((await store.verify()).problems, []);
  });
});

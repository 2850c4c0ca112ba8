import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { SessionStore, StoreChange } from '../src/core/store';
import { openStore } from '../src/stores/openStore';
import { openSqliteStoreLazily } from '../src/stores/sqlite/lazySqliteStore';
import { sessionStoreContract } from './contract/sessionStoreContract';
import { aSession, someMessages } from './helpers/builders';
import { cli } from './helpers/cli';
import { OpenedStores, rejectsWith } from './helpers/stores';
import { makeTempDir, waitFor } from './helpers/tempDir';

// The same contract, through the opener the CLI and the extension use: the store starts absent.
sessionStoreContract(
  'sqlite (opened before it exists)',
  async () => {
    const temp = makeTempDir();
    const file = join(temp.path, 'nested', 'store.sqlite');
    return { open: () => openSqliteStoreLazily(file), cleanup: async () => temp.cleanup() };
  },
  { durable: true },
);

describe('SQLite store opened before it exists', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let file: string;
  const opened = new OpenedStores();
  const open = (): Promise<SessionStore> => opened.track(openStore(`sqlite:${file}`));

  beforeEach(() => {
    temp = makeTempDir();
    file = join(temp.path, '.multichat', 'sessions.sqlite');
  });
  afterEach(async () => {
    await opened.closeAll();
    temp.cleanup();
  });

  it('creates nothing until the first session, and answers as an empty store meanwhile', async () => {
    const store = await open();
    assert.deepEqual(await store.list(), []);
    assert.equal(await store.get('01ABC'), undefined);
    assert.deepEqual(await store.search('anything'), []);
    assert.deepEqual(await store.verify({ repair: true }), { problems: [], repairs: [] });
    assert.equal(await store.delete('01ABC'), false);
    await rejectsWith(store.appendMessages('01ABC', someMessages(1)), 'not-found');
    await rejectsWith(store.update('01ABC', { title: '' }), 'invalid-input');
    await rejectsWith(store.update('01ABC', { title: 'ok' }), 'not-found');
    await rejectsWith(store.search('  '), 'invalid-input');
    assert.deepEqual(readdirSync(temp.path), [], 'not even the folder');
    const created = await store.create(aSession({ title: 'First' }));
    assert.ok(existsSync(file));
    assert.deepEqual((await store.list()).map((summary) => summary.id), [created.id]);
  });

  it('picks up a store another process creates, and says so', async () => {
    const store = await open();
    const changes: StoreChange[] = [];
    store.onDidChange((change) => changes.push(change));
    const result = cli(['new', '--title', 'Made elsewhere'], { store: `sqlite:${file}` });
    assert.equal(result.code, 0, result.stderr);
    await waitFor(async () => (await store.list()).length === 1, 5_000);
    assert.equal((await store.list())[0].title, 'Made elsewhere');
    assert.ok(changes.some((change) => change.kind === 'reloaded' && change.external));
  });


  it('says so also when its own write opens a store another process created before the folder watch noticed', async () => {
    const store = await open();
    const changes: StoreChange[] = [];
    store.onDidChange((change) => changes.push(change));
    const result = cli(['new', '--title', 'Made elsewhere first'], { store: `sqlite:${file}` });
    assert.equal(result.code, 0, result.stderr);
    // At once, before the watch (or its one-second rescan) has had a chance.
    await store.create(aSession({ title: 'Made here' }));
    assert.deepEqual((await store.list()).map((summary) => summary.title).sort(), ['Made elsewhere first', 'Made here']);
    assert.ok(changes.some((change) => change.kind === 'reloaded' && change.external), 'what the other process wrote is announced');
  });
  it('leaves no files behind when the CLI only looks', () => {
    const codes = [['list'], ['search', 'word'], ['verify'], ['show', '01ABC']].map((args) => cli(args, { store: `sqlite:${file}` }).code);
    assert.deepEqual(codes, [0, 0, 0, 4]);
    assert.deepEqual(readdirSync(temp.path), []);
  });
});

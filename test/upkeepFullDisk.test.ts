import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { appendFileSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { SessionStore, StoreWarning } from '../src/core/store';
import { openJsonStore } from '../src/stores/json/jsonStore';
import { openSqliteStore } from '../src/stores/sqlite/sqliteStore';
import { aSession } from './helpers/builders';
import { OpenedStores } from './helpers/stores';
import { makeTempDir, waitFor } from './helpers/tempDir';
import { Tmpfs, mountTmpfs } from './helpers/tmpfs';

/**
 * Upkeep that rewrites whole files — SQLite snapshots and sidecars, JSON compaction and the
 * summary index — meeting a full disk: it fails cleanly (no temp file left, the previous files
 * byte for byte as they were, nothing acknowledged lost), says so as a warning, and succeeds
 * once there is room again.
 */
const digest = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');
const tempFiles = (directory: string): string[] => readdirSync(directory).filter((name) => name.endsWith('.tmp') || name.includes('.sealed-'));

describe('upkeep on a full disk', () => {
  let disk: Tmpfs;
  let place: ReturnType<typeof makeTempDir>;
  const opened = new OpenedStores();
  before(() => {
    disk = mountTmpfs({ size: '4m' });
  });
  after(() => disk.unmount());
  beforeEach(() => {
    disk.drain();
    place = makeTempDir('store-', disk.path);
  });
  afterEach(async () => {
    disk.drain();
    await opened.closeAll();
    place.cleanup();
  });

  function collectWarnings(store: SessionStore): StoreWarning[] {
    const warnings: StoreWarning[] = [];
    store.onDidWarn((warning) => warnings.push(warning));
    return warnings;
  }

  it('SQLite: a snapshot that does not fit leaves database and backup untouched, warns, and is retried once there is room', async () => {
    const file = join(place.path, 'store.sqlite');
    const store = await opened.track(openSqliteStore(file, { snapshotAfterBytes: 1024, snapshotIdleMs: 60_000 }));
    const warnings = collectWarnings(store);
    const { id } = await store.create(aSession());
    await store.appendMessages(id, [{ role: 'user', content: 'x'.repeat(300_000) }]);
    assert.ok(await store.snapshotNow());
    await store.appendMessages(id, [{ role: 'user', content: 'y'.repeat(100_000) }]);
    assert.ok(await store.snapshotNow(), 'the backup exists too');
    const before = { file: digest(file), backup: digest(`${file}.bak`), ino: statSync(file).ino };
    disk.fill(128 * 1024);
    for (let i = 0; i < 12; i++) {
      // The journal appends still fit (~50 KB, over 1/32 of the database: a snapshot is due); the snapshot does not.
      await store.appendMessages(id, [{ role: 'user', content: `small ${i} ${'z'.repeat(4_000)}` }]);
    }
    await waitFor(() => warnings.some((w) => w.kind === 'failure' && /the disk is full \(ENOSPC\)/.test(w.what)), 5_000);
    await assert.rejects(store.snapshotNow(), /ENOSPC/);
    assert.deepEqual({ file: digest(file), backup: digest(`${file}.bak`), ino: statSync(file).ino }, before);
    assert.deepEqual(tempFiles(place.path), []);
    disk.drain();
    await waitFor(() => statSync(file).ino !== before.ino, 10_000); // retried on its own after the pause
    assert.equal((await store.get(id))?.messages.length, 14);
    assert.deepEqual((await store.verify()).problems, []);
  });

  it('JSON: a compaction that does not fit leaves the session file as it was, and a later edit compacts it', async () => {
    const directory = join(place.path, 'store');
    const store = await opened.track(openJsonStore(directory, { watch: false }));
    const warnings = collectWarnings(store);
    const { id } = await store.create(aSession());
    const [reply] = await store.appendMessages(id, [{ role: 'assistant', content: 'a'.repeat(30_000), incomplete: true }]);
    await store.updateMessage(id, reply.id, { content: 'b'.repeat(30_000) });
    await store.updateMessage(id, reply.id, { content: 'c'.repeat(30_000) });
    const path = join(directory, `${id}.jsonl`);
    disk.fill(40 * 1024);
    // This edit fits, and leaves enough superseded text to start a compaction, which does not.
    await store.updateMessage(id, reply.id, { content: 'd'.repeat(30_000), incomplete: false });
    await waitFor(() => warnings.some((w) => w.kind === 'failure' && /compact/.test(w.what)), 5_000);
    const stuck = { ino: statSync(path).ino, digest: digest(path) };
    assert.deepEqual(tempFiles(directory), []);
    assert.equal((await store.get(id))?.messages[0].content, 'd'.repeat(30_000));
    disk.drain();
    await store.updateMessage(id, reply.id, { content: 'e'.repeat(30_000) });
    await waitFor(() => statSync(path).ino !== stuck.ino, 5_000);
    assert.ok(statSync(path).size < 40_000, 'compacted to the latest version');
    assert.equal((await store.get(id))?.messages[0].content, 'e'.repeat(30_000));
    assert.deepEqual((await store.verify()).problems, []);
  });

  it('JSON: a summary index that does not fit keeps the old one, and verify is clean once there is room', async () => {
    const directory = join(place.path, 'store');
    const store = await opened.track(openJsonStore(directory, { watch: false, indexSaveDelayMs: 10 }));
    for (let i = 0; i < 150; i++) {
      await store.create(aSession({ title: `session ${i} ${'t'.repeat(400)}` }));
    }
    const index = join(directory, 'index.json');
    await waitFor(() => readdirSync(directory).includes('index.json'), 3_000);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const saved = digest(index);
    disk.fill();
    // A small append still fits in its file's last page; the index save it calls for does not.
    const [first] = await store.list();
    await store.appendMessages(first.id, [{ role: 'user', content: 'fits in the last page' }]);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const report = await store.verify();
    assert.equal(digest(index), saved, 'the previous index is untouched');
    assert.deepEqual(tempFiles(directory), []);
    assert.equal(report.problems.length, 1, JSON.stringify(report.problems));
    assert.match(report.problems[0].what, /could not save the summary index: the disk is full \(ENOSPC\)/);
    disk.drain();
    assert.deepEqual((await store.verify()).problems, []);
    assert.notEqual(digest(index), saved, 'saved once there was room');
    assert.equal((await store.list())[0].messageCount, 1);
  });

  it('JSON: a repair whose quarantine copy does not fit changes nothing, and succeeds once there is room', async () => {
    const directory = join(place.path, 'store');
    const store = await opened.track(openJsonStore(directory, { watch: false }));
    const { id } = await store.create(aSession());
    await store.appendMessages(id, [{ role: 'user', content: 'k'.repeat(200_000) }]);
    const path = join(directory, `${id}.jsonl`);
    appendFileSync(path, 'GARBAGE\n');
    const damaged = digest(path);
    disk.fill(16 * 1024);
    await assert.rejects(store.verify({ repair: true }), /the disk is full \(ENOSPC\)/);
    assert.equal(digest(path), damaged, 'the damaged file is as it was');
    assert.deepEqual(readdirSync(join(directory, 'quarantine')), [], 'no partial copy kept');
    assert.deepEqual(tempFiles(directory), []);
    disk.drain();
    const report = await store.verify({ repair: true });
    assert.equal(report.repairs.length, 1);
    assert.deepEqual((await store.verify()).problems, []);
    assert.equal(readdirSync(join(directory, 'quarantine')).length, 1);
    assert.equal((await store.get(id))?.messages[0].content.length, 200_000);
  });
});

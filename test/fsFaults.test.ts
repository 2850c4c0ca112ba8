import assert from 'node:assert/strict';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { TORN_MARKER, appendToLog } from '../src/stores/fs/appendLog';
import { replaceFileAtomically } from '../src/stores/fs/atomicFile';
import { describeIoCause } from '../src/stores/fs/ioErrors';
import { parseLog } from '../src/stores/fs/logLines';
import { Tmpfs, mountTmpfs } from './helpers/tmpfs';

/**
 * The file primitives on a real, small tmpfs that runs full: a write that does not fit entirely
 * is never acknowledged, leaves nothing a reader takes for a record, and writing works again as
 * soon as there is room.
 */
const ids = (log: string): unknown[] => parseLog(readFileSync(log)).records.map((record) => (record.value as { id: unknown }).id);
const record = (id: number, size = 0): string => `${JSON.stringify({ id, text: 'x'.repeat(size) })}\n`;

describe('durable primitives on a full disk', () => {
  let disk: Tmpfs;
  let log: string;
  before(() => {
    disk = mountTmpfs({ size: '1m' });
  });
  after(() => disk.unmount());
  beforeEach(() => {
    disk.drain();
    for (const name of readdirSync(disk.path)) {
      writeFileSync(join(disk.path, name), '');
    }
    log = join(disk.path, `log-${Date.now()}.jsonl`);
  });

  it('rejects an append that only partly fits, and no reader takes the partial bytes for a record', () => {
    appendToLog(log, record(1), { create: true });
    disk.fill(8 * 1024);
    assert.throws(() => appendToLog(log, record(2, 64 * 1024)), (error: NodeJS.ErrnoException) => error.code === 'ENOSPC');
    const torn = readFileSync(log);
    assert.ok(torn.length > record(1).length, 'part of the record reached the file');
    assert.notEqual(torn.at(-1), 0x0a, 'the partial record is left unterminated');
    assert.deepEqual(ids(log), [1]);
    assert.deepEqual(parseLog(torn).corruptLines, []);
  });

  it('seals the partial bytes once space returns, so they read as a crash leftover, not corruption', () => {
    appendToLog(log, record(1), { create: true });
    disk.fill(8 * 1024);
    assert.throws(() => appendToLog(log, record(2, 64 * 1024)));
    disk.drain();
    appendToLog(log, record(3));
    const text = readFileSync(log, 'utf8');
    assert.ok(text.includes(`\n${TORN_MARKER}\n${record(3)}`));
    assert.deepEqual(ids(log), [1, 3]);
    assert.deepEqual(parseLog(Buffer.from(text)).corruptLines, []);
  });

  it('rejects an append to a full disk with the cause in plain words (only the last page has room)', () => {
    appendToLog(log, record(1), { create: true });
    disk.fill();
    assert.throws(() => appendToLog(log, record(2, 16 * 1024)), (error: unknown) => describeIoCause(error) === 'the disk is full (ENOSPC)');
    assert.deepEqual(ids(log), [1]);
    assert.deepEqual(parseLog(readFileSync(log)).corruptLines, []);
  });

  it('leaves the old file whole and no temp file behind when an atomic replacement does not fit', async () => {
    const target = join(disk.path, 'index.json');
    writeFileSync(target, '{"old":true}\n');
    disk.fill(8 * 1024);
    await assert.rejects(replaceFileAtomically(target, 'y'.repeat(256 * 1024)), (error: NodeJS.ErrnoException) => error.code === 'ENOSPC');
    assert.equal(readFileSync(target, 'utf8'), '{"old":true}\n');
    assert.deepEqual(readdirSync(disk.path).filter((name) => name.endsWith('.tmp')), []);
    disk.drain();
    await replaceFileAtomically(target, '{"new":true}\n');
    assert.equal(readFileSync(target, 'utf8'), '{"new":true}\n');
  });
});

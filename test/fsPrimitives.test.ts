import assert from 'node:assert/strict';
import { appendFileSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { MissingLogError, TORN_MARKER, appendToLog } from '../src/stores/fs/appendLog';
import { parseLog } from '../src/stores/fs/logLines';
import { replaceLog } from '../src/stores/fs/replaceLog';
import { makeTempDir } from './helpers/tempDir';

describe('durable log primitives', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let log: string;
  beforeEach(() => {
    temp = makeTempDir();
    log = join(temp.path, 'log.jsonl');
  });
  afterEach(() => temp.cleanup());

  it('appends records in place without rewriting the file', () => {
    appendToLog(log, '{"id":1}\n', { create: true });
    const inode = statSync(log).ino;
    appendToLog(log, '{"id":2}\n');
    assert.equal(statSync(log).ino, inode);
    assert.deepEqual(parseLog(readFileSync(log)).records.map((r) => r.value), [{ id: 1 }, { id: 2 }]);
  });

  it('refuses to create a log unless asked, so appends to a deleted session fail', () => {
    assert.throws(() => appendToLog(log, '{}\n'), MissingLogError);
  });

  it('seals a torn last line so that it reads as a crash leftover, not corruption', () => {
    writeFileSync(log, '{"id":1}\n{"id":2,"text":"cut of');
    const before = parseLog(readFileSync(log));
    assert.deepEqual(before.records.map((r) => r.value), [{ id: 1 }]);
    assert.deepEqual(before.corruptLines, []);
    appendToLog(log, '{"id":3}\n');
    const text = readFileSync(log, 'utf8');
    assert.ok(text.includes(`cut of\n${TORN_MARKER}\n{"id":3}\n`));
    const after = parseLog(Buffer.from(text));
    assert.deepEqual(after.records.map((r) => r.value), [{ id: 1 }, { id: 3 }]);
    assert.deepEqual(after.corruptLines, []);
  });

  it('never takes an unterminated last line for a record, even when it parses (a write cut short before its line break)', () => {
    const parsed = parseLog(Buffer.from('{"id":1}\n{"id":2}'));
    assert.deepEqual(parsed.records.map((r) => r.value), [{ id: 1 }]);
    assert.deepEqual(parsed.corruptLines, []);
    assert.equal(parsed.completeBytes, '{"id":1}\n'.length);
  });

  it('never takes a line sealed as torn for a record, even when it parses', () => {
    const parsed = parseLog(Buffer.from(`{"id":1}\n{"id":2}\n${TORN_MARKER}\n{"id":3}\n`));
    assert.deepEqual(parsed.records.map((r) => r.value), [{ id: 1 }, { id: 3 }]);
    assert.deepEqual(parsed.corruptLines, []);
  });

  it('does not call a torn line corrupt while the seal after it is still being written', () => {
    const parsed = parseLog(Buffer.from(`{"id":1}\n{"id":2,"te\n${TORN_MARKER.slice(0, 10)}`));
    assert.deepEqual(parsed.records.map((r) => r.value), [{ id: 1 }]);
    assert.deepEqual(parsed.corruptLines, []);
  });

  it('reports unparseable lines that no crash explains', () => {
    writeFileSync(log, '{"id":1}\nGARBAGE\n{"id":2}\n');
    const parsed = parseLog(readFileSync(log));
    assert.deepEqual(parsed.corruptLines, [2]);
    assert.deepEqual(parsed.records.map((r) => r.value), [{ id: 1 }, { id: 2 }]);
  });

  it('rewrites a log atomically and carries over records appended meanwhile', async () => {
    appendToLog(log, '{"id":1}\nGARBAGE\n{"id":2}\n', { create: true });
    const oldInode = statSync(log).ino;
    await replaceLog(log, (current) => {
      // Another process appends while the rewrite is in progress.
      appendFileSync(log, '{"id":3}\n');
      return current.toString('utf8').replace('GARBAGE\n', '');
    });
    assert.notEqual(statSync(log).ino, oldInode);
    const parsed = parseLog(readFileSync(log));
    assert.deepEqual(parsed.records.map((r) => r.value), [{ id: 1 }, { id: 2 }, { id: 3 }]);
    assert.deepEqual(parsed.corruptLines, []);
  });
});

describe('log rewrite with a write in flight', () => {
  it('carries over a record whose write completes while the log is rewritten', async () => {
    const temp = makeTempDir();
    const log = join(temp.path, 'log.jsonl');
    try {
      writeFileSync(log, '{"id":1}\n{"id":2,"text":"half');
      await replaceLog(log, (current) => {
        // The rewrite sees only complete lines; the writer finishes its line meanwhile.
        assert.equal(current.toString('utf8'), '{"id":1}\n');
        appendFileSync(log, ' done"}\n');
        return current;
      });
      const parsed = parseLog(readFileSync(log));
      assert.deepEqual(parsed.records.map((r) => r.value), [{ id: 1 }, { id: 2, text: 'half done' }]);
      assert.deepEqual(parsed.corruptLines, []);
    } finally {
      temp.cleanup();
    }
  });
});

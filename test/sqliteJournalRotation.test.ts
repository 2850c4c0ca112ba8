import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { rotateJournal } from '../src/stores/sqlite/snapshot/snapshot';
import { makeTempDir } from './helpers/tempDir';

/**
 * Journal rotation finds its cut from the snapshot markers without parsing the whole journal:
 * it must cut exactly after the record the backup's last marker covers, and nowhere else.
 */
const line = (record: object): string => `${JSON.stringify(record)}\n`;
const op = (id: string, note = ''): string => line({ type: 'delete', id, sessionId: `s-${id}`, note });
const marker = (id: string, covers: string | null, fileIno: number): string => line({ type: 'snapshot', id, covers, fileIno });

describe('SQLite journal rotation', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let journal: string;

  beforeEach(() => {
    temp = makeTempDir();
    journal = join(temp.path, 'db.sqlite.journal');
  });
  afterEach(() => temp.cleanup());

  it('drops the records up to what the backup covers, keeping the rest byte for byte', async () => {
    const kept = `${marker('m1', 'r2', 7)}${op('r3', 'mentions "r2" and snapshot in passing')}${marker('m2', 'r3', 99)}${op('r4')}`;
    // A record's text that merely mentions the id, and a marker for another file, must not move the cut.
    writeFileSync(journal, `${op('r1', 'r2')}${marker('m0', 'r1', 7)}${op('r2')}${kept}`);
    assert.equal(await rotateJournal(journal, 7), true);
    const [header, ...rest] = readFileSync(journal, 'utf8').split('\n');
    assert.deepEqual({ ...(JSON.parse(header) as object), id: 'x' }, { type: 'rotated', id: 'x', after: 'r2' });
    assert.equal(rest.join('\n'), kept);
  });

  it('leaves the journal alone when no marker names the backup, or the marker covers nothing', async () => {
    const text = `${op('r1')}${marker('m1', 'r1', 5)}${marker('m2', null, 6)}${op('r2')}`;
    writeFileSync(journal, text);
    assert.equal(await rotateJournal(journal, 8), false);
    assert.equal(await rotateJournal(journal, 6), false);
    assert.equal(readFileSync(journal, 'utf8'), text);
  });
});

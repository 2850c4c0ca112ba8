import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { cli } from './helpers/cli';
import { makeTempDir } from './helpers/tempDir';

// A sqlite: spec naming a file that was never a store (a typo: `sqlite:notes.txt`) must leave that
// file exactly where it is: the store refuses it (exit 5) instead of quarantining it as damage.

describe('a sqlite: spec naming a file that is not a store', () => {
  for (const [name, content] of [
    ['notes.txt', 'my notes, not a database\n'],
    ['empty.sqlite', ''],
  ] as const) {
    it(`refuses ${name} and leaves it untouched, read or write`, () => {
      const temp = makeTempDir();
      try {
        const file = join(temp.path, name);
        writeFileSync(file, content);
        for (const args of [['list'], ['search', 'notes'], ['new', '--title', 'x']]) {
          const result = cli(args, { store: `sqlite:${file}` });
          assert.equal(result.code, 5, `${args.join(' ')}: ${result.stderr}`);
          assert.match(result.stderr, /is not a multichat SQLite store .*left as it is/);
          assert.equal(readFileSync(file, 'utf8'), content);
          assert.equal(existsSync(join(temp.path, 'quarantine')), false, 'nothing quarantined');
        }
      } finally {
        temp.cleanup();
      }
    });
  }
});

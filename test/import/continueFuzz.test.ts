import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { continueImporter } from '../../src/interop/import/continue/continueImporter';
import { fuzzImporter } from '../helpers/importFuzz';

// One session file on its own is fuzzed in continueFileFuzz.test.ts: one file each keeps either well under 30 s.
test('a mutated .continue folder never crashes the importer nor lets a broken session in', async () => {
  const tally = await fuzzImporter(continueImporter, join(__dirname, '..', 'fixtures', 'import', 'continue', '.continue'), { rounds: 800, seed: 21 });
  assert.ok(tally.rejected > 100 && tally.accepted > 100, JSON.stringify(tally));
});

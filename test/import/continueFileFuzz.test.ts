import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { continueImporter } from '../../src/interop/import/continue/continueImporter';
import { fuzzImporter } from '../helpers/importFuzz';

test('a mutated Continue session file never crashes the importer', async () => {
  const file = join(__dirname, '..', 'fixtures', 'import', 'continue', '.continue', 'sessions', '8a7b6c5d-4e3f-4a1b-8c9d-0e1f2a3b4c5d.json');
  const tally = await fuzzImporter(continueImporter, file, { rounds: 700, seed: 22 });
  assert.ok(tally.rejected > 100 && tally.accepted > 100, JSON.stringify(tally));
});

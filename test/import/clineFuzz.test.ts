import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { clineImporter } from '../../src/interop/import/cline/clineImporter';
import { fuzzImporter } from '../helpers/importFuzz';

// Roo's fixture is fuzzed in clineRooFuzz.test.ts: one file each keeps either well under 30 s.
test('mutated Cline global storage never crashes the importer nor lets a broken task in', async () => {
  const tally = await fuzzImporter(clineImporter, join(__dirname, '..', 'fixtures', 'import', 'cline', 'saoudrizwan.claude-dev'), { rounds: 800, seed: 11 });
  assert.ok(tally.rejected > 100 && tally.accepted > 100, JSON.stringify(tally));
});

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { clineImporter } from '../../src/interop/import/cline/clineImporter';
import { fuzzImporter } from '../helpers/importFuzz';

test('mutated Roo Code tasks never crash the importer nor let a broken task in', async () => {
  const tally = await fuzzImporter(clineImporter, join(__dirname, '..', 'fixtures', 'import', 'cline', 'rooveterinaryinc.roo-cline'), { rounds: 700, seed: 12 });
  assert.ok(tally.rejected > 60 && tally.accepted > 60, JSON.stringify(tally));
});

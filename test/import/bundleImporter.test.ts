import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { MemorySessionStore } from '../../src/core/memoryStore';
import { bundleImporter } from '../../src/interop/import/bundleImporter';
import { runImport } from '../../src/interop/import/runImport';
import { fuzzImporter } from '../helpers/importFuzz';

const FIXTURES = join(__dirname, '..', 'fixtures', 'bundles');

test('a multichat bundle is recognised by its format and imported whole', async () => {
  const store = new MemorySessionStore();
  const file = join(FIXTURES, 'documented-shape.json');
  const report = await runImport(store, file);
  assert.deepEqual(report.formats, ['multichat']);
  assert.ok(report.imported > 0);
  const again = await runImport(store, file);
  assert.equal(again.imported + again.updated, 0);
  assert.equal(again.unchanged, report.imported);
});

test('mutated bundles never crash the importer nor change the store', async () => {
  const tally = await fuzzImporter(bundleImporter, join(FIXTURES, 'documented-shape.json'), { rounds: 400, seed: 7 });
  assert.ok(tally.rejected > 50 && tally.accepted > 0, JSON.stringify(tally));
});

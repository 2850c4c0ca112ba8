import assert from 'node:assert/strict';
import { cpSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { isMultichatError } from '../../src/core/errors';
import { MemorySessionStore } from '../../src/core/memoryStore';
import { bundleImporter } from '../../src/interop/import/bundleImporter';
import { clineImporter } from '../../src/interop/import/cline/clineImporter';
import { continueImporter } from '../../src/interop/import/continue/continueImporter';
import { runImport } from '../../src/interop/import/runImport';
import { makeTempDir } from '../helpers/tempDir';

// Auto-detection between Continue, Cline / Roo Code and Multichat bundles (Cline's own layouts are
// in clineImporter.test.ts): each claims its own, and none the others'.
const FIXTURES = join(__dirname, '..', 'fixtures');
const CONTINUE = join(FIXTURES, 'import', 'continue', '.continue');
const CLINE = join(FIXTURES, 'import', 'cline', 'saoudrizwan.claude-dev');
const ROO = join(FIXTURES, 'import', 'cline', 'rooveterinaryinc.roo-cline');
const BUNDLE = join(FIXTURES, 'bundles', 'documented-shape.json');

const LAYOUTS: [string, string, string][] = [
  ['a .continue folder', CONTINUE, 'continue'],
  ['a Continue sessions folder', join(CONTINUE, 'sessions'), 'continue'],
  ['a Continue session file', join(CONTINUE, 'sessions', '3f1c2a9e-5b7d-4e21-9a0c-1d2e3f4a5b6c.json'), 'continue'],
  ['Cline global storage', CLINE, 'cline'],
  ['a Cline tasks folder', join(CLINE, 'tasks'), 'cline'],
  ['a Cline task folder', join(CLINE, 'tasks', '1718000000000'), 'cline'],
  ['Roo Code global storage', ROO, 'cline'],
  ['a Multichat bundle', BUNDLE, 'multichat'],
];

for (const [name, path, format] of LAYOUTS) {
  test(`auto-detection: ${name} is ${format}, and only ${format}`, async () => {
    const report = await runImport(new MemorySessionStore(), path);
    assert.deepEqual(report.formats, [format]);
    assert.ok(report.imported > 0 && report.failed.length === 0, JSON.stringify(report));
    for (const importer of [bundleImporter, continueImporter, clineImporter].filter((candidate) => candidate.format !== format)) {
      assert.deepEqual(await importer.discover(path, true), [], `${importer.format} claims ${name}`);
    }
  });
}

test('auto-detection: sessions.json alone, or folders only named like them, are nobody’s', async (t) => {
  const temp = makeTempDir('multichat-detect-');
  t.after(temp.cleanup);
  cpSync(join(CONTINUE, 'sessions'), join(temp.path, 'sessions-backup'), { recursive: true });
  mkdirSync(join(temp.path, 'sessions'));
  cpSync(join(CONTINUE, 'sessions', '3f1c2a9e-5b7d-4e21-9a0c-1d2e3f4a5b6c.json'), join(temp.path, 'sessions', 'a.json'));
  for (const path of [join(CONTINUE, 'sessions', 'sessions.json'), join(temp.path, 'sessions-backup'), join(temp.path, 'sessions'), join(CLINE, 'state')]) {
    await assert.rejects(runImport(new MemorySessionStore(), path), (error: unknown) => isMultichatError(error, 'invalid-input') && /found nothing to import/.test(error.message), path);
  }
  // Named with --from, the same folders import.
  assert.equal((await runImport(new MemorySessionStore(), join(temp.path, 'sessions-backup'), { from: 'continue' })).imported, 3);
  assert.equal((await runImport(new MemorySessionStore(), join(temp.path, 'sessions'), { from: 'continue' })).imported, 1);
});

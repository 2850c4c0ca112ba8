import assert from 'node:assert/strict';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { isMultichatError } from '../../src/core/errors';
import { MemorySessionStore } from '../../src/core/memoryStore';
import { continueImporter } from '../../src/interop/import/continue/continueImporter';
import { DEFAULT_READ_LIMITS } from '../../src/interop/import/importFormats';
import { runImport } from '../../src/interop/import/runImport';
import { makeTempDir } from '../helpers/tempDir';

const FIXTURE = join(__dirname, '..', 'fixtures', 'import', 'continue', '.continue');
const RETRY = '3f1c2a9e-5b7d-4e21-9a0c-1d2e3f4a5b6c';

/** The file with the value at `path` replaced (or, for `undefined`, removed). */
const setAt = (path: readonly (string | number)[], value: unknown) => (text: string) => {
  const root = JSON.parse(text) as unknown;
  const holder = path.slice(0, -1).reduce<Record<string | number, unknown>>((node, key) => node[key] as Record<string | number, unknown>, root as Record<string | number, unknown>);
  const last = path[path.length - 1];
  if (value === undefined) {
    delete holder[last];
  } else {
    holder[last] = value;
  }
  return JSON.stringify(root, undefined, 2);
};

const BREAKAGES: { name: string; change: (text: string) => string; says: RegExp }[] = [
  { name: 'not JSON', change: (text) => text.slice(0, 100), says: /^: not valid JSON/ },
  { name: 'history not a list', change: setAt(['history'], { 0: {} }), says: /^: history: .*expected array/ },
  { name: 'a history item without its message', change: setAt(['history', 1, 'message'], undefined), says: /^: history\[1\]\.message: / },
  { name: 'a role that is not text', change: setAt(['history', 1, 'message', 'role'], 7), says: /^: history\[1\]\.message\.role: / },
  { name: 'content of the wrong type', change: setAt(['history', 2, 'message', 'content'], { text: 'x' }), says: /^: history\[2\]\.message\.content: expected text or a list of message parts/ },
  { name: 'a text part without text', change: setAt(['history', 0, 'message', 'content', 0, 'text'], 3), says: /^: history\[0\]\.message\.content\[0\]\.text: / },
];

for (const breakage of BREAKAGES) {
  test(`broken: ${breakage.name} fails the session, naming the file and the place`, async (t) => {
    const temp = makeTempDir('multichat-continue-broken-');
    t.after(temp.cleanup);
    const copy = join(temp.path, '.continue');
    cpSync(FIXTURE, copy, { recursive: true });
    const file = join(copy, 'sessions', `${RETRY}.json`);
    writeFileSync(file, breakage.change(readFileSync(file, 'utf8')));

    const [unit] = await continueImporter.discover(file, true).then((units) => (units.length > 0 ? units : continueImporter.discover(file, false)));
    const error = await continueImporter.read(unit, DEFAULT_READ_LIMITS).then(
      () => assert.fail('read accepted a broken session'),
      (thrown: unknown) => thrown,
    );
    assert.ok(isMultichatError(error, 'invalid-input'), String(error));
    assert.ok(error.message.startsWith(file), error.message);
    assert.match(error.message.slice(file.length), breakage.says);

    const store = new MemorySessionStore();
    const report = await runImport(store, copy);
    assert.deepEqual(report.failed.map((failure) => failure.path), [file]);
    assert.equal(report.imported, 2);
    assert.ok(!(await store.list()).some((summary) => summary.id === `continue-${RETRY}`));
  });
}

test('a broken sessions.json only costs the dates: the sessions still import, dated by their files', async (t) => {
  const temp = makeTempDir('multichat-continue-broken-');
  t.after(temp.cleanup);
  const copy = join(temp.path, '.continue');
  cpSync(FIXTURE, copy, { recursive: true });
  writeFileSync(join(copy, 'sessions', 'sessions.json'), '[{"sessionId": ');
  const report = await runImport(new MemorySessionStore(), copy);
  assert.deepEqual([report.imported, report.failed.length], [3, 0]);
});

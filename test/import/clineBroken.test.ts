import assert from 'node:assert/strict';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { isMultichatError } from '../../src/core/errors';
import { MemorySessionStore } from '../../src/core/memoryStore';
import { clineImporter } from '../../src/interop/import/cline/clineImporter';
import { DEFAULT_READ_LIMITS } from '../../src/interop/import/importFormats';
import { runImport } from '../../src/interop/import/runImport';
import { makeTempDir } from '../helpers/tempDir';

const CLINE = join(__dirname, '..', 'fixtures', 'import', 'cline', 'saoudrizwan.claude-dev');
const TASK_ID = '1718000000000';

interface Breakage {
  name: string;
  file: string;
  change: (text: string) => string;
  /** What the error must say after the file's path. */
  says: RegExp;
}

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
  return JSON.stringify(root);
};

const BREAKAGES: Breakage[] = [
  { name: 'conversation not JSON', file: 'api_conversation_history.json', change: (text) => text.slice(0, 40), says: /^: not valid JSON/ },
  { name: 'conversation not a list', file: 'api_conversation_history.json', change: () => '{"messages":[]}', says: /^: .*expected array/ },
  { name: 'a role that is not one', file: 'api_conversation_history.json', change: setAt([1, 'role'], 'robot'), says: /^: \[1\]\.role: / },
  { name: 'content of the wrong type', file: 'api_conversation_history.json', change: setAt([4, 'content'], 42), says: /^: \[4\]\.content: expected text or a list of content blocks/ },
  { name: 'a text block without text', file: 'api_conversation_history.json', change: setAt([4, 'content', 1, 'text'], null), says: /^: \[4\]\.content\[1\]\.text: / },
  { name: 'a tool call without a name', file: 'api_conversation_history.json', change: setAt([1, 'content', 1, 'name'], undefined), says: /^: \[1\]\.content\[1\]\.name: / },
  { name: 'ui messages not JSON', file: 'ui_messages.json', change: (text) => `${text}]`, says: /^: not valid JSON/ },
  { name: 'a ui message without a time', file: 'ui_messages.json', change: setAt([3, 'ts'], 'soon'), says: /^: \[3\]\.ts: / },
  { name: 'task metadata of the wrong shape', file: 'task_metadata.json', change: () => '{"model_usage":{"ts":1}}', says: /^: model_usage: / },
];

for (const breakage of BREAKAGES) {
  test(`broken: ${breakage.name} fails the task, naming the file and the place`, async (t) => {
    const temp = makeTempDir('multichat-cline-broken-');
    t.after(temp.cleanup);
    const storage = join(temp.path, 'saoudrizwan.claude-dev');
    cpSync(CLINE, storage, { recursive: true });
    const file = join(storage, 'tasks', TASK_ID, breakage.file);
    writeFileSync(file, breakage.change(readFileSync(file, 'utf8')));

    const [unit] = await clineImporter.discover(join(storage, 'tasks', TASK_ID), true);
    const error = await clineImporter.read(unit, DEFAULT_READ_LIMITS).then(
      () => assert.fail('read accepted a broken task'),
      (thrown: unknown) => thrown,
    );
    assert.ok(isMultichatError(error, 'invalid-input'), String(error));
    assert.ok(error.message.startsWith(file), error.message);
    assert.match(error.message.slice(file.length), breakage.says);

    // Among good tasks, it lands in `failed`, and the store gets nothing of it.
    const store = new MemorySessionStore();
    const report = await runImport(store, storage);
    assert.deepEqual(report.failed.map((failure) => failure.path), [join(storage, 'tasks', TASK_ID)]);
    assert.equal(report.imported, 1);
    assert.deepEqual(
      (await store.list()).map((summary) => summary.id),
      ['cline-1718100000000'],
    );
  });
}

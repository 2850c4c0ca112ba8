import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { SessionStore } from '../../src/core/store';
import { runImport } from '../../src/interop/import/runImport';
import { openStore } from '../../src/stores/openStore';
import { makeTempDir } from '../helpers/tempDir';
import { COMPOSER_A, GLOBAL_ROWS, Row, kv, writeDatabase } from './cursorFixtures';

const temp = makeTempDir('multichat-cursor-store-');
after(() => temp.cleanup());
let stores = 0;

async function freshStore(): Promise<SessionStore> {
  const store = await openStore(`json:${join(temp.path, `store${++stores}`)}`);
  await store.create({ id: 'bystander', title: 'Already here', messages: [{ role: 'user', content: 'keep me' }] });
  return store;
}

async function everything(store: SessionStore): Promise<string> {
  const summaries = await store.list();
  return JSON.stringify(await Promise.all(summaries.map((summary) => store.get(summary.id))));
}

test('importing into a JSON store again changes nothing; a composer that grew is updated in place', async () => {
  const file = join(temp.path, 'Cursor', 'User', 'globalStorage', 'state.vscdb');
  await writeDatabase(file, GLOBAL_ROWS);
  const store = await freshStore();
  try {
    const first = await runImport(store, file);
    assert.deepEqual([first.formats, first.imported, first.updated, first.unchanged, first.messages, first.failed], [['cursor'], 2, 0, 0, 4, []]);
    const again = await runImport(store, file);
    assert.deepEqual([again.imported, again.updated, again.unchanged], [0, 0, 2]);

    const grown: Row[] = GLOBAL_ROWS.map((row) => (row.key === 'composerData:comp-a' ? kv(row.key, withHeader(row.value, 'b7')) : row));
    grown.push(kv('bubbleId:comp-a:b7', { _v: 3, type: 1, bubbleId: 'b7', text: 'And for null input?', createdAt: '2025-01-01T02:00:00.000Z' }));
    await writeDatabase(file, grown);
    const third = await runImport(store, file);
    assert.deepEqual([third.imported, third.updated, third.unchanged], [0, 1, 1]);
    const session = await store.get('cursor-comp-a');
    assert.deepEqual(
      session?.messages.map((message) => message.id),
      ['b1', 'b4', 'b7'],
    );
    assert.equal((await store.list()).length, 3, 'nothing duplicated');
  } finally {
    await store.close();
  }
});

function withHeader(value: unknown, bubbleId: string): unknown {
  const composer = structuredClone(value) as { fullConversationHeadersOnly: unknown[]; lastUpdatedAt: number };
  composer.fullConversationHeadersOnly.push({ bubbleId, type: 1 });
  composer.lastUpdatedAt += 7_200_000;
  return composer;
}

const BROKEN: { name: string; make: (file: string) => Promise<void>; expect: RegExp }[] = [
  { name: 'a file that is not SQLite', make: async (file) => writeFileSync(file, '{"not": "sqlite"}'), expect: /: not a readable SQLite database \(not an SQLite database\)$/ },
  {
    name: 'a truncated database',
    make: async (file) => {
      await writeDatabase(file, GLOBAL_ROWS);
      const bytes = readFileSync(file);
      writeFileSync(file, bytes.subarray(0, bytes.length - 4096 - 100));
    },
    expect: /: not a readable SQLite database \(truncated or padded: /,
  },
  {
    name: 'a composer that is not JSON',
    make: (file) => writeDatabase(file, [...COMPOSER_A, { table: 'cursorDiskKV', key: 'composerData:abc', value: undefined, raw: '{"_v": 10, "name": ' }]),
    expect: /: cursorDiskKV composerData:abc: not valid JSON \(/,
  },
  {
    name: 'a bubble of the wrong shape',
    make: (file) => writeDatabase(file, [...COMPOSER_A.filter((row) => row.key !== 'bubbleId:comp-a:b4'), kv('bubbleId:comp-a:b4', { type: 2, text: 42 })]),
    expect: /: cursorDiskKV bubbleId:comp-a:b4: text: /,
  },
];

for (const broken of BROKEN) {
  test(`${broken.name} fails the whole file, naming it and the key, and the store is unchanged`, async () => {
    const file = join(temp.path, `broken-${broken.name.replace(/\W+/g, '-')}`, 'state.vscdb');
    await writeDatabase(file, []);
    await broken.make(file);
    const store = await freshStore();
    try {
      const before = await everything(store);
      const report = await runImport(store, file, { from: 'cursor' });
      assert.equal(report.failed.length, 1);
      assert.equal(report.failed[0].path, file);
      assert.ok(report.failed[0].error.startsWith(`${file}: `), report.failed[0].error);
      assert.match(report.failed[0].error, broken.expect);
      assert.deepEqual([report.imported, report.updated], [0, 0]);
      assert.equal(await everything(store), before);
    } finally {
      await store.close();
    }
  });
}

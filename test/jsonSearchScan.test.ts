import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { after, before, describe, it } from 'node:test';
import { MemorySessionStore } from '../src/core/memoryStore';
import { summarize } from '../src/core/model';
import { matchSession, queryWords } from '../src/core/search';
import { importSession } from '../src/core/importSession';
import { SessionStore } from '../src/core/store';
import { boundFilesInThread } from '../src/stores/json/search/boundScan';
import { openJsonStore } from '../src/stores/json/jsonStore';
import { ScanPool } from '../src/stores/json/search/scanPool';
import type { ScanReply } from '../src/stores/json/search/scanWorker';
import { boundScreen } from '../src/stores/json/search/searchBound';
import { makeTempDir } from './helpers/tempDir';

/**
 * The first search pass of the JSON store (searchBound, boundScan, scanPool): its bounds must
 * never fall below a session's real score, or a hit would be lost; and the worker threads must
 * give the same bounds as the calling thread.
 */
const CREATED = '2024-05-01T00:00:00.000Z';

/** A session log written by hand, as a person or another tool might. */
function handWritten(id: string, title: string, contents: readonly string[]): string {
  const header = `{"type":"session","schema":1,"id":"${id}","title":"${title}","createdAt":"${CREATED}","updatedAt":"${CREATED}","tags":[],"pinned":false,"source":"multichat"}`;
  const messages = contents.map((content, i) => `{"type":"message","id":"m${i}","role":"user","content":"${content}","createdAt":"${CREATED}"}`);
  return [header, ...messages, ''].join('\n');
}

const FILES: Record<string, string> = {
  plain: handWritten('plain', 'Notes', ['kafka consumer', 'the Kafka CONSUMER lags', 'nothing here', 'KAFKA and consumer again']),
  titled: handWritten('titled', 'Kafka consumer tuning', ['unrelated']),
  escaped: handWritten('escaped', 'Notes', ['\\u004bafka consumer', 'kafk\\u0061 consumer']),
  kelvin: handWritten('kelvin', 'Notes', ['\u212Aafka consumer']),
  dotted: handWritten('dotted', 'Notes', ['KL\u0130 consumer']),
  greek: handWritten('greek', 'Notes', ['ΚΑΦΚΑ consumer', 'καφκα']),
  none: handWritten('none', 'Notes', ['consumer only', 'and kafk a split']),
};
const QUERIES = ['kafka', 'kafka consumer', 'consumer', 'kli', 'καφκα', 'kafka "quoted', 'a'];

describe('JSON search: first pass', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let store: SessionStore;
  const pathOf = (name: string): string => join(temp.path, `${name}.jsonl`);

  before(async () => {
    temp = makeTempDir();
    for (const [name, text] of Object.entries(FILES)) {
      writeFileSync(pathOf(name), text);
    }
    store = await openJsonStore(temp.path, { watch: false });
  });
  after(async () => {
    await store.close();
    temp.cleanup();
  });

  it('never bounds a session below its real score, for any query and layout', async () => {
    for (const query of QUERIES) {
      const words = queryWords(query);
      const screen = boundScreen(words);
      for (const name of Object.keys(FILES)) {
        const session = await store.get(name);
        assert.ok(session, `${name} loads`);
        const hit = matchSession(summarize(session), session.messages, words);
        const bound = screen(Buffer.from(FILES[name]));
        assert.ok(bound >= (hit?.score ?? 0), `${query} in ${name}: bound ${bound}, score ${hit?.score}`);
      }
    }
  });

  it('bounds plain files exactly, and rules out files without the words', () => {
    const screen = boundScreen(queryWords('kafka consumer'));
    assert.equal(screen(Buffer.from(FILES.plain)), 3);
    assert.equal(screen(Buffer.from(FILES.none)), 0);
    assert.equal(screen(Buffer.from(FILES.titled)), 10, 'the title weighs as much as ten messages');
    assert.equal(screen(Buffer.from(FILES.escaped)), Infinity, 'an escape could spell a letter');
    assert.equal(boundScreen(queryWords('kafka'))(Buffer.from(FILES.kelvin)), Infinity, 'the Kelvin sign lowercases to k');
    assert.equal(boundScreen(queryWords('consumer'))(Buffer.from(FILES.kelvin)), 1, 'only words with a k can hide behind it');
  });

  it('gives the same bounds on worker threads as in the calling thread, in order', async () => {
    const paths = [...Object.keys(FILES).map(pathOf), join(temp.path, 'missing.jsonl')];
    const many = Array.from({ length: 7 }, () => paths).flat();
    const pool = new ScanPool(2);
    try {
      for (const query of QUERIES) {
        const words = queryWords(query);
        assert.deepEqual(await pool.bounds(many, words), await boundFilesInThread(many, words), query);
      }
      assert.equal(pool.broken, false);
      await pool.close();
      assert.deepEqual(await pool.bounds(many, ['kafka']), await boundFilesInThread(many, ['kafka']), 'threads start again after an idle close');
      assert.equal(pool.broken, false, 'closing is not failing');
    } finally {
      await pool.close();
    }
  });

  it('ships a worker bundle that answers a scan request', { skip: !existsSync('dist/scanWorker.js') && 'run npm run build first' }, async () => {
    const worker = new Worker(join(process.cwd(), 'dist', 'scanWorker.js'));
    try {
      const reply = await new Promise<ScanReply>((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
        worker.postMessage({ id: 7, paths: [pathOf('plain'), pathOf('none')], words: ['kafka', 'consumer'] });
      });
      assert.deepEqual(reply, { id: 7, bounds: new Float64Array([3, 0]) });
    } finally {
      await worker.terminate();
    }
  });
});

describe('JSON search: a store big enough for worker threads', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let json: SessionStore;
  const memory = new MemorySessionStore();
  const SESSIONS = 1_200;

  before(async () => {
    temp = makeTempDir();
    json = await openJsonStore(temp.path, { watch: false });
    for (let i = 0; i < SESSIONS; i++) {
      const summary = await json.create({
        title: i % 97 === 0 ? `Kafka notes ${i}` : `Session ${i}`,
        messages: Array.from({ length: 1 + (i % 5) }, (_, m) => ({ role: 'user' as const, content: sampleContent(i, m) })),
      });
      const session = await json.get(summary.id);
      assert.ok(session);
      await importSession(memory, session);
      if (i % 4 === 1) {
        // Reversed: a search that parses only some lines must still pick the first match in this order.
        const reversed = session.messages.map((message) => message.id).reverse();
        await json.reorderMessages(summary.id, reversed);
        await memory.reorderMessages(summary.id, reversed);
      }
    }
  });
  after(async () => {
    await json.close();
    temp.cleanup();
  });

  it('abandons a search aborted while it runs', async () => {
    const replaced = new AbortController();
    const search = json.search('kafka', { signal: replaced.signal });
    replaced.abort();
    await assert.rejects(search, { name: 'AbortError' });
  });

  it('finds exactly what the reference in-memory store finds, ranked the same', async () => {
    for (const query of ['kafka', 'KAFKA consumer', 'lag', 'rare1187', 'consumer lag', 'nowhere', 'a']) {
      for (const limit of [5, 50, 2_000]) {
        assert.deepEqual(await json.search(query, { limit }), await memory.search(query, { limit }), `${query} (limit ${limit})`);
      }
    }
  });
});

/** Words spread unevenly over the sessions, so queries range from everywhere to one session. */
function sampleContent(session: number, message: number): string {
  const words = [`rare${session}`, session % 3 === 0 ? 'Kafka' : 'queue', message % 2 === 0 ? 'consumer' : 'producer', session % 7 === 0 ? 'LAG' : 'ok'];
  return `${words.join(' ')} — message ${message} of session ${session}`;
}

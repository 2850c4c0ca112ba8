import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { MemorySessionStore } from '../src/core/memoryStore';
import { NewMessage, NewSession } from '../src/core/model';
import { seededRandom } from '../src/cli/bench/sampleData';
import { openSqliteStore } from '../src/stores/sqlite/sqliteStore';
import { makeTempDir } from './helpers/tempDir';

// The SQLite store searches through the shared word index, saved beside the database: the same
// hits as the reference scan (accents folded too, which its old FTS4 index did not), another
// process's changes found, and a damaged index file rebuilt without a wrong answer.

const COMMON = 'kafka';
// Ways text can hold the word, and some that look like it and are not (inside a word).
const FORMS = ['kafka', 'Kafka', 'KAFKA', 'kafkaesque', '(kafka)', '_kafka', '\u212Aafka', '—kafka', 'ékafka', 'xkafka', '東京kafka', 'káfka'];
const FILLER = ['stream', 'topic', 'broker', 'offset', 'naïve', 'café', 'partition'];

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)];
}

function messageText(random: () => number, forms: readonly string[]): string {
  const words = Array.from({ length: 12 }, () => pick(random, FILLER));
  if (random() < 0.98) {
    words.splice(Math.floor(random() * words.length), 0, random() < 0.8 ? COMMON : pick(random, forms));
  }
  return `log: ${words.join(' ')}`;
}

/** Sessions of varied length, most messages holding the word, each updated a minute after the last. */
function sessions(count: number, forms: readonly string[]): NewSession[] {
  const random = seededRandom(7);
  return Array.from({ length: count }, (_, i) => {
    const messages: NewMessage[] = Array.from({ length: Math.floor(random() * 12) }, () => ({ role: 'user', content: messageText(random, forms) }));
    const updatedAt = new Date(Date.UTC(2025, 0, 1) + i * 60_000).toISOString();
    const title = random() < 0.2 ? `About ${pick(random, forms)} ${i}` : `Session ${i}`;
    return { title, createdAt: '2025-01-01T00:00:00.000Z', updatedAt, messages };
  });
}

describe('SQLite store search', () => {
  it('finds the same hits, in the same order, with the same snippets as the memory store, also after reorders', async () => {
    const temp = makeTempDir();
    const sqlite = await openSqliteStore(join(temp.path, 'store.sqlite'));
    const memory = new MemorySessionStore();
    try {
      for (const session of sessions(300, FORMS)) {
        const created = await memory.create(session);
        const messages = (await memory.get(created.id))?.messages ?? [];
        await sqlite.create({ ...session, id: created.id, messages });
        if (messages.length % 3 === 1) {
          // Reversed: the index follows the messages to their new positions.
          const reversed = messages.map((message) => message.id).reverse();
          await memory.reorderMessages(created.id, reversed);
          await sqlite.reorderMessages(created.id, reversed);
        }
      }
      for (const limit of [1, 10, 50, 500]) {
        assert.deepEqual(await sqlite.search('Kafka', { limit }), await memory.search('Kafka', { limit }));
      }
      for (const query of ['kafka', 'kaf', 'cafe', 'naive ', '"kafka stream"', 'kafka role:user', 'broker tag:none']) {
        assert.deepEqual(await sqlite.search(query), await memory.search(query), query);
      }
    } finally {
      await sqlite.close();
      temp.cleanup();
    }
  });

  it("finds another process's writes, and reads the saved index back after a reopen", async () => {
    const temp = makeTempDir();
    const file = join(temp.path, 'store.sqlite');
    const writer = await openSqliteStore(file);
    const reader = await openSqliteStore(file);
    try {
      const session = await writer.create({ title: 'Shared', messages: [{ role: 'user', content: 'first words' }] });
      assert.deepEqual((await reader.search('first')).map((hit) => hit.sessionId), [session.id]);
      await writer.appendMessages(session.id, [{ role: 'assistant', content: 'zephyr arrives later' }]);
      await writer.update(session.id, { title: 'Renamed quokka' });
      assert.deepEqual((await reader.search('zephyr')).map((hit) => hit.sessionId), [session.id], 'an append by the other process');
      assert.deepEqual((await reader.search('quokka')).map((hit) => hit.title), ['Renamed quokka'], 'a rename by the other process');
      await writer.delete(session.id);
      assert.deepEqual(await reader.search('zephyr'), [], 'a delete by the other process');
      const kept = await writer.create({ title: 'Kept', messages: [{ role: 'user', content: 'durable walrus' }] });
      await reader.search('walrus');
      await reader.close();
      assert.ok(existsSync(`${file}.search-index.bin`), 'the built index is saved on close');
      await writer.appendMessages(kept.id, [{ role: 'user', content: 'appended while the reader was closed: narwhal' }]);
      const reopened = await openSqliteStore(file);
      try {
        assert.deepEqual((await reopened.search('narwhal')).map((hit) => hit.sessionId), [kept.id], 'what changed since the save is read again');
        assert.deepEqual((await reopened.search('walrus')).map((hit) => hit.sessionId), [kept.id]);
      } finally {
        await reopened.close();
      }
    } finally {
      await Promise.allSettled([writer.close(), reader.close()]);
      temp.cleanup();
    }
  });

  it('answers rightly from a damaged index file, and verify --repair builds it again', async () => {
    const temp = makeTempDir();
    const file = join(temp.path, 'store.sqlite');
    const index = `${file}.search-index.bin`;
    try {
      const first = await openSqliteStore(file);
      const memory = new MemorySessionStore();
      for (const session of sessions(60, FORMS)) {
        const created = await memory.create(session);
        await first.create({ ...session, id: created.id, messages: (await memory.get(created.id))?.messages ?? [] });
      }
      await first.search(COMMON);
      await first.close();
      const bytes = readFileSync(index);
      bytes[bytes.length - 3] ^= 0xff; // inside the last word list
      writeFileSync(index, bytes);
      const second = await openSqliteStore(file);
      try {
        for (const query of [COMMON, 'cafe', 'partition', 'broker']) {
          assert.deepEqual(await second.search(query), await memory.search(query), query);
        }
        writeFileSync(index, 'not an index');
        const report = await second.verify({ repair: true });
        assert.ok(report.repairs.some((repair) => repair.startsWith('rebuilt the search index from 60 sessions')), report.repairs.join('; '));
        assert.deepEqual(await second.search(COMMON), await memory.search(COMMON));
      } finally {
        await second.close();
      }
    } finally {
      temp.cleanup();
    }
  });
});

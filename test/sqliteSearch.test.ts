import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Database } from 'sql.js';
import { MemorySessionStore } from '../src/core/memoryStore';
import { NewMessage, NewSession } from '../src/core/model';
import { prepareSession } from '../src/core/validate';
import { seededRandom } from '../src/cli/bench/sampleData';
import { DatabaseWriter } from '../src/stores/sqlite/database/applyOps';
import { planSearch } from '../src/stores/sqlite/search/ftsQuery';
import { parseStoreQuery } from '../src/core/search';
import { textMatches } from '../src/core/textSearch/textMatch';
import { configureConnection, createSchema } from '../src/stores/sqlite/database/schema';
import { Ranking } from '../src/stores/sqlite/search/searchRanking';
import { readAllSummaries } from '../src/stores/sqlite/database/sessionRows';
import { matchTitles, rankByIndex } from '../src/stores/sqlite/search/sqliteSearch';
import { openSqliteStore } from '../src/stores/sqlite/sqliteStore';
import { Statements } from '../src/stores/sqlite/database/statements';
import { rankByText } from '../src/stores/sqlite/search/textRanking';
import { loadSqlJs } from '../src/stores/sqlite/database/wasmLoader';
import { makeTempDir } from './helpers/tempDir';

/**
 * Words found in nearly every message are ranked by reading the likely winners' text instead of
 * counting every match in the index (textRanking.ts). Both ways must give the same hits, in the
 * same order, with the same first matching message.
 */
const COMMON = 'kafka';
// Ways text can hold the word: some match only by the tokenizer's rules (Kelvin sign, non-ASCII
// separators), some look like a match and are not (inside a word). Not here: a word glued to a
// symbol such as an emoji, which unicode61 keeps inside the word and the shared rule does not,
// and accents, which it does not fold — the message index misses those (a known gap until the
// shared word index replaces it).
const FORMS = ['kafka', 'Kafka', 'KAFKA', 'kafkaesque', '(kafka)', '_kafka', '\u212Aafka', '—kafka', 'ékafka', 'xkafka', '東京kafka'];
const FILLER = ['stream', 'topic', 'broker', 'offset', 'naïve', 'café', 'partition'];
const TIMES = ['2025-03-01T10:00:00.000Z', '2025-03-01T10:00:00Z', '2025-03-02T08:30:00.000Z', '2025-03-02T08:30:00.5Z', '2025-03-03T00:00:00.000Z'];

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

/** Sessions of varied length, most messages holding the word; updatedAt often ties unless asked not to. */
function sessions(count: number, forms: readonly string[], distinctTimes = false): NewSession[] {
  const random = seededRandom(7);
  return Array.from({ length: count }, (_, i) => {
    const messages: NewMessage[] = Array.from({ length: Math.floor(random() * 12) }, () => ({ role: 'user', content: messageText(random, forms) }));
    const updatedAt = distinctTimes ? new Date(Date.UTC(2025, 0, 1) + i * 60_000).toISOString() : pick(random, TIMES);
    const title = random() < 0.2 ? `About ${pick(random, forms)} ${i}` : `Session ${i}`;
    return { title, createdAt: '2025-01-01T00:00:00.000Z', updatedAt, messages };
  });
}

function describeRanking(ranking: Ranking): string[] {
  return ranking.hits.map((hit) => `${hit.sessionId} score=${hit.score} first=${ranking.messages.get(hit.sessionId)?.firstSeq}`);
}

class TestDatabase {
  readonly sql: Statements;
  readonly writer: DatabaseWriter;

  constructor(readonly db: Database, content: readonly NewSession[]) {
    configureConnection(db);
    createSchema(db);
    this.sql = new Statements(db);
    this.writer = new DatabaseWriter(this.sql);
    content.forEach((session, i) => this.writer.apply({ type: 'create', id: `op${i}`, session: prepareSession(session) }, undefined));
    this.writer.flushIndex();
  }

  rankBothWays(words: string[], limit: number): { text: Ranking | undefined; index: Ranking } {
    const summaries = new Map(readAllSummaries(this.sql).map((summary) => [summary.id, summary]));
    const query = parseStoreQuery(words.join(' '));
    const plan = planSearch(query);
    const titles = matchTitles(this.sql, plan, summaries, query);
    const text = rankByText(this.sql, { matches: (content) => textMatches(content, query.terms), limit, summaries, titles });
    const index = rankByIndex(this.sql, plan, { query, limit, summaries, sessionIdOf: (sid) => this.writer.sessionIdOf(sid) }, titles);
    return { text, index };
  }

  close(): void {
    this.sql.freeAll();
    this.db.close();
  }
}

describe('SQLite search of very common words', () => {
  let many: TestDatabase;
  let few: TestDatabase;

  before(async () => {
    const sqlJs = await loadSqlJs();
    many = new TestDatabase(new sqlJs.Database(), sessions(400, FORMS));
    few = new TestDatabase(new sqlJs.Database(), sessions(30, FORMS));
  });
  after(() => {
    many.close();
    few.close();
  });

  for (const limit of [1, 3, 17, 50]) {
    it(`ranks the best ${limit} of many sessions exactly as counting with the index does`, () => {
      const { text, index } = many.rankBothWays([COMMON], limit);
      assert.ok(text, 'the word is common enough to be ranked from the text');
      assert.equal(index.hits.length, limit);
      assert.deepEqual(describeRanking(text), describeRanking(index));
    });
  }

  it('ranks every matching session, as the index does, when the limit is above their number', () => {
    const { text, index } = few.rankBothWays([COMMON], 1_000);
    assert.ok(text);
    assert.ok(index.hits.length > 20);
    assert.deepEqual(describeRanking(text), describeRanking(index));
  });

  it('ranks several common words together exactly as the index does', () => {
    const { text, index } = many.rankBothWays([COMMON, 'lo'], 25);
    assert.ok(text);
    assert.deepEqual(describeRanking(text), describeRanking(index));
  });

  it('leaves words found in few messages to the index', () => {
    assert.equal(many.rankBothWays(['partition'], 50).text, undefined);
    assert.equal(many.rankBothWays(['nowhere'], 50).text, undefined);
  });

  it('tells a matching message from its text as the message index does, for plain words whole and typed', () => {
    const { db } = few;
    db.exec('CREATE VIRTUAL TABLE temp.probe USING fts4(content, tokenize=unicode61 "remove_diacritics=0")');
    // Text without accented letters: the index does not fold accents (the shared rule does), so those are re-checked.
    const texts = ['kafka', 'Kafka', 'KAFKA', 'kafkaesque', '(kafka)', '_kafka', '\u212Aafka', '—kafka', 'xkafka', '東京kafka', 'Some', 'awesome', 'x-some', 'istanbul', 'strasse', '2024-01', 'a2024', ''];
    texts.forEach((text, i) => db.run('INSERT INTO temp.probe (docid, content) VALUES (?, ?)', [i, text]));
    for (const typed of [COMMON, 'kafka ', 'some', 'some ', 'istanbul', 'i', 'strasse ', '2024', '2024 ']) {
      const query = parseStoreQuery(typed);
      const indexed = new Set(db.exec('SELECT docid FROM temp.probe WHERE probe MATCH ?', [planSearch(query).match])[0]?.values.map(([docid]) => Number(docid)));
      texts.forEach((text, i) => assert.equal(textMatches(text, query.terms), indexed.has(i), `${JSON.stringify(typed)} in ${JSON.stringify(text)}`));
    }
  });
});

describe('SQLite store search of a very common word', () => {
  it('finds the same hits, in the same order, with the same snippets as the memory store, also after reorders', async () => {
    const temp = makeTempDir();
    const sqlite = await openSqliteStore(join(temp.path, 'store.sqlite'));
    const memory = new MemorySessionStore();
    try {
      // ASCII words at token starts only: there substring and token-prefix matching agree.
      for (const session of sessions(300, ['kafka', 'Kafka', 'kafkaesque', '(kafka)'], true)) {
        const created = await memory.create(session);
        const messages = (await memory.get(created.id))?.messages ?? [];
        await sqlite.create({ ...session, id: created.id, messages });
        if (messages.length % 3 === 1) {
          // Reversed: moved messages keep their text in the index, under their new positions.
          const reversed = messages.map((message) => message.id).reverse();
          await memory.reorderMessages(created.id, reversed);
          await sqlite.reorderMessages(created.id, reversed);
        }
      }
      for (const limit of [1, 10, 50, 500]) {
        assert.deepEqual(await sqlite.search('Kafka', { limit }), await memory.search('Kafka', { limit }));
      }
      assert.deepEqual(await sqlite.search('kafka'), await memory.search('kafka'));
    } finally {
      await sqlite.close();
      temp.cleanup();
    }
  });
});

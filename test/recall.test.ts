import assert from 'node:assert/strict';
import { test } from 'node:test';
import { budgetChars, formatSearch, formatSession, RecallSession, sharedConfirmation, truncate } from '../src/core/recall/recallFormat';
import { parseRecallInput, searchTextOf } from '../src/core/recall/recallInput';
import { pickMessages, pickSessions, recallWords } from '../src/core/recall/recallPick';
import { parseSearchQuery } from '../src/core/searchQuery';

function session(id: string, contents: string[], followed = false): RecallSession {
  const messages = contents.map((content, i) => ({ index: i + 1, role: 'user' as const, createdAt: '2026-01-02T03:04:05.000Z', content }));
  return { id, title: `Title ${id}`, folderName: 'app', tags: ['ci'], source: '', lastMessageAt: '2026-01-02T03:04:05.000Z', messageCount: contents.length, followed, messages };
}

test('input: a query or a session id, checked field by field', () => {
  assert.equal(parseRecallInput({ query: 'zebra', tag: 'ci', limit: 3 }).ok, true);
  const none = parseRecallInput({});
  assert.equal(none.ok, false);
  assert.match(!none.ok ? none.error : '', /either "query".*or "sessionId"/);
  const bad = parseRecallInput({ query: 'x', after: 'yesterday', limit: 0 });
  assert.match(!bad.ok ? bad.error : '', /"after" must be a day.*"limit"/);
  assert.equal(parseRecallInput('zebra').ok, false);
  assert.equal(parseRecallInput({ sessionId: 'a b' }).ok, false);
  assert.equal(parseRecallInput({ sessionId: 's1', fromMessage: 4, toMessage: 2 }).ok, false);
  assert.equal(parseRecallInput({ query: 'x', extra: 1 }).ok, false);
});

test('input: filters become the editor search syntax', () => {
  const parsed = parseRecallInput({ query: 'Zebra parser', tag: 'ci', after: '2026-01-01' });
  assert.ok(parsed.ok);
  const query = parseSearchQuery(searchTextOf(parsed.input));
  assert.deepEqual(query.words, ['zebra', 'parser']);
  assert.deepEqual(query.tags, ['ci']);
  assert.equal(typeof query.after, 'number');
});

test('truncate says how much was cut and stays within the limit', () => {
  const text = 'a'.repeat(5000);
  const cut = truncate(text, 1000);
  assert.ok(cut.length <= 1000);
  assert.match(cut, /\[… 4,0\d\d more characters\]$/);
  assert.equal(truncate('short', 1000), 'short');
});

test('search results cite titles and ids and never exceed the budget', () => {
  const sessions = Array.from({ length: 30 }, (_, i) => session(`s${i}`, ['zebra '.repeat(400), 'zebra again']));
  for (const tokens of [150, 1000, 4000]) {
    const text = formatSearch('zebra', sessions, budgetChars(tokens));
    assert.ok(text.length <= budgetChars(tokens), `${text.length} > ${budgetChars(tokens)}`);
    assert.match(text, /## "Title s0" \(session id `s0`/);
    assert.match(text, /Token budget reached/);
  }
  assert.match(formatSearch('zebra', [session('a', ['zebra'])], budgetChars(undefined)), /^1 past session match "zebra"/);
  assert.equal(formatSearch('zebra', [], 1000), 'No past session matches "zebra".');
});

test('a session read stops at the budget and says where to read on', () => {
  const long = session('s1', ['x'.repeat(3000), 'y'.repeat(3000), 'z'.repeat(3000)]);
  const text = formatSession(long, 4000);
  assert.ok(text.length <= 4000);
  assert.match(text, /read on with "fromMessage": \d/);
  assert.match(formatSession(session('s2', ['hi']), 4000), /Messages 1–1 of 1/);
  assert.match(formatSession(session('s3', ['x'.repeat(9000)]), 40_000), /more characters\]/);
});

test('only teammates\' sessions need a confirmation', () => {
  assert.equal(sharedConfirmation([session('a', []), session('b', [])]), undefined);
  const asked = sharedConfirmation([session('a', []), session('b', [], true)]);
  assert.match(asked?.message ?? '', /1 session shared by teammates.*"Title b" \(b\)/);
  assert.doesNotMatch(asked?.message ?? '', /Title a/);
});

test('recall words drop the filler; picking keeps the best messages in order', () => {
  assert.deepEqual(recallWords('How did we fix the Zebra parser, and why?'), ['fix', 'zebra', 'parser']);
  const messages = ['zebra only', 'nothing', 'zebra parser both', 'parser only'].map((content, i) => ({
    id: `m${i}`,
    role: 'user' as const,
    createdAt: '2026-01-02T03:04:05.000Z',
    content,
  }));
  const query = parseSearchQuery('zebra parser');
  assert.deepEqual(pickMessages(messages, query, 'all', 5).map((m) => m.index), [3]);
  assert.deepEqual(pickMessages(messages, query, 'any', 2).map((m) => m.index), [1, 3]);
  assert.deepEqual(pickMessages(messages, parseSearchQuery('zebra role:assistant'), 'any', 5), []);
});

test("recall leaves teammates' sessions out unless asked, the user's own filling the answer", () => {
  const ranked = [session('t1', [], true), session('o1', []), session('t2', [], true), session('o2', []), session('o3', []), session('t3', [], true)];
  const ids = (list: RecallSession[]) => list.map((each) => each.id);
  const own = pickSessions(ranked, 3, false);
  assert.deepEqual(ids(own.used), ['o1', 'o2', 'o3']);
  assert.deepEqual(ids(own.leftOut), ['t1', 't2'], 'only the teammates\' sessions that would have made the cut');
  const withTeam = pickSessions(ranked, 3, true);
  assert.deepEqual(ids(withTeam.used), ['t1', 'o1', 't2']);
  assert.deepEqual(withTeam.leftOut, []);
  assert.deepEqual(pickSessions([session('o1', [])], 3, false), { used: [session('o1', [])], leftOut: [] });
  assert.deepEqual(ids(pickSessions([session('t1', [], true)], 3, false).leftOut), ['t1']);
});

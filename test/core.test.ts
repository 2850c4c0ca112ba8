import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isMultichatError } from '../src/core/errors';
import { ID_PATTERN, newId } from '../src/core/ids';
import { applyTagChanges, nowIso } from '../src/core/model';
import { parseStoreQuery } from '../src/core/search';
import { makeSnippet } from '../src/core/textSearch/snippet';
import { parseSession, prepareSession } from '../src/core/validate';
import { makeBundle, parseBundle } from '../src/interop/bundle';
import { sessionToMarkdown } from '../src/interop/markdown';
import { parseStoreSpec } from '../src/stores/storeSpec';

describe('ids', () => {
  it('are filename-safe and sort by creation time, even within one millisecond', () => {
    const ids = Array.from({ length: 1000 }, () => newId());
    ids.forEach((id) => assert.match(id, ID_PATTERN));
    assert.deepEqual([...ids].sort(), ids);
    assert.equal(new Set(ids).size, ids.length);
    assert.ok(newId(Date.parse('2030-01-01')) > newId(Date.parse('2029-12-31')));
  });
});

describe('timestamps', () => {
  it('are ISO-8601 UTC and strictly increasing within a process', () => {
    const stamps = Array.from({ length: 100 }, nowIso);
    stamps.forEach((stamp) => assert.match(stamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/));
    assert.equal(new Set(stamps).size, stamps.length);
    assert.deepEqual([...stamps].sort(), stamps);
  });
});

describe('validation', () => {
  it('fills in defaults for a new session', () => {
    const session = prepareSession({ title: '  Trimmed  ', tags: ['a', 'a'], messages: [{ role: 'user', content: 'hi' }] });
    assert.equal(session.title, 'Trimmed');
    assert.deepEqual(session.tags, ['a']);
    assert.equal(session.source, 'multichat');
    assert.equal(session.messages[0].createdAt, session.createdAt);
  });

  it('rejects untrusted sessions with one specific sentence', () => {
    const good = prepareSession({ title: 'ok', messages: [{ role: 'user', content: 'x', id: 'm1' }] });
    const cases: [unknown, RegExp][] = [
      [{ ...good, id: 'a/b' }, /id/],
      [{ ...good, createdAt: '2024-01-01 10:00' }, /createdAt/],
      [{ ...good, extra: 1 }, /extra|unrecognized/i],
      [{ ...good, messages: [good.messages[0], good.messages[0]] }, /appears twice/],
      [{ ...good, tags: 'a' }, /tags/],
      [null, /session/],
    ];
    for (const [value, pattern] of cases) {
      assert.throws(() => parseSession(value), (error: unknown) => isMultichatError(error, 'invalid-input') && pattern.test(error.message));
    }
  });

  it('merges tag changes without duplicates', () => {
    assert.deepEqual(applyTagChanges(['a', 'b'], { addTags: ['b', 'c'], removeTags: ['a'] }), ['b', 'c']);
  });
});

describe('search helpers', () => {
  it('splits queries into distinct lower-case words and refuses an empty one', () => {
    assert.deepEqual(parseStoreQuery('  Kafka  kafka LAG ').words, ['kafka', 'lag']);
    assert.throws(() => parseStoreQuery(' \t '), (error: unknown) => isMultichatError(error, 'invalid-input'));
    assert.throws(() => parseStoreQuery('-> ...'), (error: unknown) => isMultichatError(error, 'invalid-input'));
    assert.throws(() => parseStoreQuery('kafka role:bot'), /role must be user, assistant or system/);
  });

  it('cuts a one-line snippet around the first word, with the matches marked', () => {
    const { snippet, marks } = makeSnippet(`${'a '.repeat(100)}Needle\n${'b '.repeat(100)}`, parseStoreQuery('needle ').terms);
    assert.match(snippet, /^….*Needle.*…$/);
    assert.ok(!snippet.includes('\n'));
    assert.deepEqual(marks.map(([start, end]) => snippet.slice(start, end)), ['Needle']);
  });
});

describe('export bundles', () => {
  it('round-trips sessions and rejects duplicates and strangers', () => {
    const session = prepareSession({ title: 'Bundle me', messages: [{ role: 'assistant', content: '```js\nx\n```' }] });
    const text = JSON.stringify(makeBundle([session]));
    assert.deepEqual(parseBundle(text), [session]);
    const twice = JSON.stringify(makeBundle([session, session]));
    assert.throws(() => parseBundle(twice), /appears twice/);
    assert.throws(() => parseBundle('[]'), /invalid bundle/);
  });
});

describe('markdown', () => {
  it('renders a heading per session and a section per message', () => {
    const session = prepareSession({ title: 'Doc', tags: ['t'], messages: [{ role: 'user', content: 'Q?' }, { role: 'assistant', content: 'A!', model: 'm1' }] });
    const markdown = sessionToMarkdown(session);
    assert.match(markdown, /^# Doc$/m);
    assert.match(markdown, /^## User/m);
    assert.match(markdown, /^## Assistant .*m1/m);
    assert.match(markdown, /^A!$/m);
  });
});

describe('store specs', () => {
  it('resolves relative locations against a base folder', () => {
    assert.deepEqual(parseStoreSpec('json:.multichat', '/w'), { kind: 'json', directory: '/w/.multichat' });
    assert.deepEqual(parseStoreSpec('sqlite:/abs/db.sqlite', '/w'), { kind: 'sqlite', file: '/abs/db.sqlite' });
    for (const bad of ['', 'json:', 'mongo:x', 'plain']) {
      assert.throws(() => parseStoreSpec(bad), (error: unknown) => isMultichatError(error, 'usage'), bad);
    }
  });
});

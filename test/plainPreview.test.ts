import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { matchingMessages } from '../src/core/search';
import { hasFilters, parseDay, parseSearchQuery, sourceMatches, tagsMatch, withinDates } from '../src/core/searchQuery';
import { cutAtWord, markdownBlocks, plainText, previewBlocks, snippetAround } from '../src/extension/tree/plainPreview';

const ANSWER = [
  '## The **fix**',
  '',
  'Use `parseConfig()` and see [the docs](https://example.com/docs) — *not* the __old__ one.',
  '',
  '```ts',
  'const config = parseConfig(text);',
  'if (!config) { throw new Error("bad"); }',
  '```',
  '',
  '- first point',
  '- [x] done point',
  '> quoted ~~struck~~ text',
  '',
  '| name | value |',
  '|------|------:|',
  '| a    | 1     |',
  '---',
  'snake_case_name stays, 2*3*4 stays',
].join('\n');

describe('plain-text previews of Markdown messages', () => {
  it('strips markup, keeps code blocks apart with their language, and inline code in backticks', () => {
    assert.deepEqual(markdownBlocks(ANSWER), [
      { kind: 'text', text: 'The fix' },
      { kind: 'text', text: 'Use `parseConfig()` and see the docs — not the old one.' },
      { kind: 'code', language: 'ts', code: 'const config = parseConfig(text);\nif (!config) { throw new Error("bad"); }' },
      { kind: 'text', text: '• first point • done point quoted struck text' },
      { kind: 'text', text: 'name · value a · 1 snake_case_name stays, 2*3*4 stays' },
    ]);
  });

  it('runs an unclosed fence to the end and leaves markup inside code alone', () => {
    assert.deepEqual(markdownBlocks('see:\n~~~\n**not bold** `x`'), [
      { kind: 'text', text: 'see:' },
      { kind: 'code', language: '', code: '**not bold** `x`' },
    ]);
    assert.deepEqual(markdownBlocks('````md\n```\ninner\n```\n````'), [{ kind: 'code', language: 'md', code: '```\ninner\n```' }]);
  });

  it('puts a whole message on one line, code blocks as inline code', () => {
    assert.equal(plainText('**Run** this:\n\n```sh\nnpm   test\n```\nthen *check*.'), 'Run this: `npm test` then check.');
  });

  it('cuts at a word boundary with an ellipsis, and a lone long word where it must', () => {
    assert.equal(cutAtWord('one two three four five', 10), 'one two…');
    assert.equal(cutAtWord('short', 10), 'short');
    assert.equal(cutAtWord('abcdefghijklmnop', 10), 'abcdefghij…');
    assert.equal(cutAtWord('one, two, three four', 10), 'one, two…');
  });

  it('centres a snippet on the first word found, starting and ending on word boundaries', () => {
    const text = 'alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima mike november oscar papa';
    const snippet = snippetAround(text, parseSearchQuery('kilo').terms, 40);
    assert.match(snippet, /^…\S/);
    assert.match(snippet, /kilo/);
    assert.match(snippet, /\S…$/);
    for (const word of snippet.replace(/…/g, '').split(' ')) {
      assert.ok(text.split(' ').includes(word), `"${word}" was cut`);
    }
    assert.ok(snippet.length <= 42, snippet);
    assert.equal(snippetAround('short text', parseSearchQuery('text').terms, 40), 'short text');
    assert.match(snippetAround(text, parseSearchQuery('missing').terms, 20), /^alpha bravo charlie…$/);
  });

  it('fits a tooltip: text cut at words, code cut to a few lines, the rest left out with an ellipsis', () => {
    const code = Array.from({ length: 10 }, (_, index) => `line ${index}`).join('\n');
    const blocks = previewBlocks(`intro words here\n\n\`\`\`js\n${code}\n\`\`\`\n\nafter`, { maxChars: 80, maxCodeLines: 3 });
    assert.deepEqual(blocks[0], { kind: 'text', text: 'intro words here' });
    assert.deepEqual(blocks[1], { kind: 'code', language: 'js', code: 'line 0\nline 1\nline 2\n…' });
    assert.deepEqual(blocks[2], { kind: 'text', text: 'after' });
    const long = previewBlocks(`${'word '.repeat(50)}\n\nmore`, { maxChars: 30, maxCodeLines: 3 });
    assert.deepEqual(long.map((block) => (block.kind === 'text' ? block.text : '')), ['word word word word word word…', '…']);
  });
});

describe('search query', () => {
  it('splits words from tag, role and date filters', () => {
    const query = parseSearchQuery('  Parser tag:ci error TAG:bug role:user after:2026-11-01 before:2026-12-01 parser http://x.y ');
    assert.deepEqual(query.words, ['parser', 'error', 'http://x.y']);
    assert.deepEqual(query.tags, ['ci', 'bug']);
    assert.deepEqual(query.roles, ['user']);
    assert.equal(query.after, new Date(2026, 10, 1).getTime());
    assert.equal(query.before, new Date(2026, 11, 1).getTime());
    assert.deepEqual(query.problems, []);
  });

  it('reads source filters, any of several, case-insensitively', () => {
    const query = parseSearchQuery('lag source:Copilot source:cursor');
    assert.deepEqual([query.words, query.sources], [['lag'], ['copilot', 'cursor']]);
    assert.ok(hasFilters(query));
    assert.deepEqual(['copilot', 'CURSOR', 'multichat', 'cline'].map((source) => sourceMatches(query, source)), [true, true, false, false]);
    assert.ok(sourceMatches(parseSearchQuery('lag'), 'anything'));
    assert.deepEqual(parseSearchQuery('source:').problems, [{ token: 'source:', kind: 'empty' }]);
  });

  it('names each filter it cannot read', () => {
    assert.deepEqual(parseSearchQuery('x tag: role:robot after:2026-02-30 before:yesterday').problems, [
      { token: 'tag:', kind: 'empty' },
      { token: 'role:robot', kind: 'role' },
      { token: 'after:2026-02-30', kind: 'date' },
      { token: 'before:yesterday', kind: 'date' },
    ]);
    assert.equal(parseDay('2026-2-3'), undefined);
  });

  it('filters messages by every word, role and local day, and sessions by any tag', () => {
    const messages = [
      { id: '1', role: 'user' as const, content: 'The parser fails', createdAt: new Date(2026, 10, 1, 0, 0).toISOString() },
      { id: '2', role: 'assistant' as const, content: 'Parser: it FAILS because', createdAt: new Date(2026, 10, 20).toISOString() },
      { id: '3', role: 'user' as const, content: 'parser only', createdAt: new Date(2026, 11, 1).toISOString() },
    ];
    const ids = (text: string): string[] => matchingMessages(messages, parseSearchQuery(text)).map((message) => message.id);
    assert.deepEqual(ids('fails parser'), ['1', '2']);
    assert.deepEqual(ids('parser role:user'), ['1', '3']);
    assert.deepEqual(ids('parser after:2026-11-01 before:2026-12-01'), ['1', '2']);
    assert.deepEqual(ids('parser role:assistant role:system'), ['2']);
    assert.equal(tagsMatch(parseSearchQuery('tag:a tag:b'), ['b', 'c']), true);
    assert.equal(tagsMatch(parseSearchQuery('tag:a'), ['b']), false);
    assert.equal(withinDates(parseSearchQuery('after:2026-01-01'), 'garbage'), false);
  });
});

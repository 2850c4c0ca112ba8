import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SessionSummary } from '../src/core/model';
import { MemorySessionStore } from '../src/core/memoryStore';
import { suggestedFileName } from '../src/extension/commands/exportFormat';
import { slugify } from '../src/interop/exportFiles';
import { renderExport } from '../src/interop/exportRender';
import { migrateSessions } from '../src/interop/migrate';
import { fuzzyScore, isWordStart, rankByFuzzy } from '../src/extension/tree/fuzzy';
import { SessionEntry, collectTags, dateBoundaries, groupSessions, mergeNewestFirst, sameSummaries } from '../src/extension/tree/grouping';
import { excerpt, previewMessages } from '../src/extension/tree/preview';
import { countOf, describeSession, relativeTime } from '../src/extension/tree/relativeTime';

// Local time on purpose: the buckets follow the user's calendar day, whatever the time zone.
const NOW = new Date(2024, 5, 15, 10, 30);
const FOLDER = { uri: 'file:///work/a', name: 'a' };
let nextId = 0;

function at(day: number, hour = 12): string {
  return new Date(2024, 5, day, hour).toISOString();
}

function entry(overrides: Partial<SessionSummary> = {}, folder = FOLDER): SessionEntry {
  const id = overrides.id ?? `s${String(nextId++).padStart(4, '0')}`;
  const summary: SessionSummary = {
    id,
    title: `Session ${id}`,
    createdAt: at(1),
    updatedAt: at(15, 9),
    lastMessageAt: at(15, 9),
    untitled: false,
    tags: [],
    pinned: false,
    source: 'multichat',
    messageCount: 2,
    ...overrides,
  };
  return { folder, summary };
}

function shape(groups: ReturnType<typeof groupSessions>): [string, string[]][] {
  return groups.map((group) => [group.label, group.entries.map((each) => each.summary.title)]);
}

describe('grouping by date', () => {
  it('puts each session in exactly one of Pinned, Today, Yesterday, Previous 7 days and Older', () => {
    const entries = [
      entry({ title: 'pinned old', pinned: true, lastMessageAt: at(1) }),
      entry({ title: 'this morning', lastMessageAt: at(15, 0) }),
      entry({ title: 'late yesterday', lastMessageAt: at(14, 23) }),
      entry({ title: 'early yesterday', lastMessageAt: at(14, 0) }),
      entry({ title: 'two days ago', lastMessageAt: at(13) }),
      entry({ title: 'eight days ago', lastMessageAt: new Date(2024, 5, 7, 0, 0).toISOString() }),
      entry({ title: 'nine days ago', lastMessageAt: at(6, 23) }),
    ];
    assert.deepEqual(shape(groupSessions(entries, { now: NOW, mode: 'date' })), [
      ['Pinned', ['pinned old']],
      ['Today', ['this morning']],
      ['Yesterday', ['late yesterday', 'early yesterday']],
      ['Previous 7 days', ['two days ago', 'eight days ago']],
      ['Older', ['nine days ago']],
    ]);
  });

  it('leaves out empty groups, expands the recent ones and collapses Older', () => {
    const groups = groupSessions([entry({ lastMessageAt: at(15) }), entry({ lastMessageAt: at(1) })], { now: NOW, mode: 'date' });
    assert.deepEqual(
      groups.map((group) => [group.id, group.expanded]),
      [
        ['date:today', true],
        ['date:older', false],
      ],
    );
  });

  it('counts timestamps from the future as today and unreadable ones as older', () => {
    const groups = groupSessions([entry({ title: 'future', lastMessageAt: at(20) }), entry({ title: 'bad', lastMessageAt: 'garbage' })], {
      now: NOW,
      mode: 'date',
    });
    assert.deepEqual(shape(groups), [
      ['Today', ['future']],
      ['Older', ['bad']],
    ]);
  });

  it('follows local midnight across a daylight-saving change', () => {
    const bounds = dateBoundaries(new Date(2024, 2, 31, 12));
    assert.equal(new Date(bounds.yesterday).getHours(), 0);
    assert.equal(new Date(bounds.yesterday).getDate(), 30);
    assert.equal(new Date(bounds.week).getDate(), 23);
  });

  it('keeps only the sessions with any of the filtered tags, in groups with their usual ids', () => {
    const entries = [entry({ title: 'a', tags: ['bug'] }), entry({ title: 'b', tags: ['idea'] }), entry({ title: 'c', tags: ['ci', 'bug'] }), entry({ title: 'd' })];
    const groups = groupSessions(entries, { now: NOW, mode: 'date', tagFilters: ['bug', 'ci'] });
    assert.deepEqual(shape(groups), [['Today', ['a', 'c']]]);
    assert.equal(groups[0].id, 'date:today', 'a filter keeps the group id, so the group keeps its expanded state');
    assert.deepEqual(shape(groupSessions(entries, { now: NOW, mode: 'date', tagFilters: [] })), [['Today', ['a', 'b', 'c', 'd']]]);
  });

  it('groups 10,000 sessions quickly', () => {
    const many = Array.from({ length: 10_000 }, (_, index) => entry({ lastMessageAt: new Date(NOW.getTime() - index * 3_600_000).toISOString() }));
    const started = performance.now();
    const groups = groupSessions(many, { now: NOW, mode: 'date' });
    assert.ok(performance.now() - started < 200, 'grouping took too long');
    assert.equal(
      groups.reduce((sum, group) => sum + group.entries.length, 0),
      10_000,
    );
  });
});

describe('grouping by tag', () => {
  it('shows a session under each tag, sorts tags by name, pins first, untagged last', () => {
    const entries = [
      entry({ title: 'both', tags: ['zeta', 'Alpha'] }),
      entry({ title: 'plain' }),
      entry({ title: 'pinned zeta', tags: ['zeta'], pinned: true }),
    ];
    assert.deepEqual(shape(groupSessions(entries, { now: NOW, mode: 'tag' })), [
      ['Pinned', ['pinned zeta']],
      ['Alpha', ['both']],
      ['zeta', ['pinned zeta', 'both']],
      ['Untagged', ['plain']],
    ]);
  });

  it('keeps Pinned on top, with the id it has by date, so regrouping keeps its state', () => {
    const entries = [entry({ title: 'pinned plain', pinned: true }), entry({ title: 'tagged', tags: ['x'] })];
    const byTag = groupSessions(entries, { now: NOW, mode: 'tag' });
    const byDate = groupSessions(entries, { now: NOW, mode: 'date' });
    assert.deepEqual(shape(byTag), [
      ['Pinned', ['pinned plain']],
      ['x', ['tagged']],
      ['Untagged', ['pinned plain']],
    ]);
    assert.equal(byTag[0].id, byDate[0].id);
    assert.equal(byTag[0].expanded, true);
  });

  it('shows only the filtered tags as groups when filtering by tag', () => {
    const entries = [entry({ title: 'both', tags: ['a', 'b'] }), entry({ title: 'c only', tags: ['c'] }), entry({ title: 'a pinned', tags: ['a'], pinned: true })];
    assert.deepEqual(shape(groupSessions(entries, { now: NOW, mode: 'tag', tagFilters: ['a', 'c'] })), [
      ['Pinned', ['a pinned']],
      ['a', ['a pinned', 'both']],
      ['c', ['c only']],
    ]);
  });

  it('expands the group when it is the only one', () => {
    const [only] = groupSessions([entry({ tags: ['x'] })], { now: NOW, mode: 'tag' });
    assert.equal(only.expanded, true);
  });
});

describe('tags and folders', () => {
  it('collects every tag with its count, sorted case-insensitively', () => {
    const summaries = [{ tags: ['b', 'a'] }, { tags: ['B'] }, { tags: ['a'] }];
    assert.deepEqual(collectTags(summaries), [
      { tag: 'a', count: 2 },
      { tag: 'B', count: 1 },
      { tag: 'b', count: 1 },
    ]);
  });

  it('merges the lists of several folders newest first', () => {
    const other = { uri: 'file:///work/b', name: 'b' };
    const a = [entry({ title: 'a2', lastMessageAt: at(14) }), entry({ title: 'a1', lastMessageAt: at(10) })];
    const b = [entry({ title: 'b1', lastMessageAt: at(12) }, other)];
    assert.deepEqual(
      mergeNewestFirst([a, b, []]).map((each) => each.summary.title),
      ['a2', 'b1', 'a1'],
    );
    assert.equal(mergeNewestFirst([a, []]).length, 2);
  });
});

describe('change detection', () => {
  it('tells a list that would draw the same tree from one that would not', () => {
    const list = [entry({ tags: ['a'] }).summary, entry().summary];
    const copy = list.map((summary) => ({ ...summary, tags: [...summary.tags] }));
    assert.equal(sameSummaries(list, copy), true);
    assert.equal(sameSummaries(list, [copy[1], copy[0]]), false);
    assert.equal(sameSummaries(list, copy.slice(1)), false);
    assert.equal(sameSummaries(list, [{ ...copy[0], messageCount: 9 }, copy[1]]), false);
    assert.equal(sameSummaries(list, [{ ...copy[0], tags: ['b'] }, copy[1]]), false);
  });
});

describe('relative time and descriptions', () => {
  it('says how long ago in short units', () => {
    const ago = (ms: number): string => relativeTime(new Date(NOW.getTime() - ms).toISOString(), NOW);
    const minute = 60_000;
    const day = 24 * 60 * minute;
    assert.equal(ago(10_000), 'just now');
    assert.equal(ago(-60_000), 'just now');
    assert.equal(ago(50_000), '1m ago');
    assert.equal(ago(59 * minute), '59m ago');
    assert.equal(ago(3 * 60 * minute), '3h ago');
    assert.equal(ago(2 * day), '2d ago');
    assert.equal(ago(15 * day), '2w ago');
    assert.equal(ago(100 * day), '3mo ago');
    assert.equal(ago(800 * day), '2y ago');
    assert.equal(relativeTime('not a date', NOW), '');
  });

  it('describes a session with its folder (multi-root), message count and age', () => {
    const lastMessageAt = new Date(NOW.getTime() - 3 * 3_600_000).toISOString();
    assert.equal(describeSession({ messageCount: 12, lastMessageAt }, NOW), '12 messages · 3h ago');
    assert.equal(describeSession({ messageCount: 1, lastMessageAt }, NOW, 'api'), 'api · 1 message · 3h ago');
    assert.equal(countOf(1234, 'session'), '1,234 sessions');
  });
});

describe('fuzzy matching', () => {
  it('matches words in any order, letters in order', () => {
    assert.ok(fuzzyScore('parser refactor', 'Refactor the parser') !== undefined);
    assert.ok(fuzzyScore('rfp', 'Refactor parser') !== undefined);
    assert.equal(fuzzyScore('xyz', 'Refactor parser'), undefined);
    assert.equal(fuzzyScore('', 'anything'), 0);
  });

  it('ranks substrings, prefixes and word starts above scattered letters', () => {
    const titles = ['a parser bug', 'Parser notes', 'pxaxrxsxexr', 'unrelated'];
    assert.deepEqual(
      rankByFuzzy(titles, 'parser', (title) => title),
      ['Parser notes', 'a parser bug', 'pxaxrxsxexr'],
    );
  });

  it('keeps the input order for an empty query and for ties, and honours the limit', () => {
    assert.deepEqual(rankByFuzzy(['b', 'a', 'c'], ' ', (x) => x), ['b', 'a', 'c']);
    assert.deepEqual(rankByFuzzy(['x1', 'x2', 'x3'], 'x', (x) => x, 2), ['x1', 'x2']);
  });

  it('knows word starts after separators and at camel-case humps', () => {
    assert.equal(isWordStart('myParser', 2), true);
    assert.equal(isWordStart('my-parser', 3), true);
    assert.equal(isWordStart('parser', 2), false);
  });
});

describe('tooltip preview', () => {
  it('shows the last messages, flattened and shortened', () => {
    const message = (content: string, role: 'user' | 'assistant' = 'user'): Parameters<typeof previewMessages>[0][number] => ({
      id: `m${nextId++}`,
      role,
      content,
      createdAt: at(15),
    });
    const lines = previewMessages([message('first'), message('second'), message('a\n\nb', 'assistant'), message('')], 3);
    assert.deepEqual(
      lines.map(({ role, text }) => ({ role, text })),
      [
        { role: 'You', text: 'second' },
        { role: 'Assistant', text: 'a b' },
        { role: 'You', text: '(empty)' },
      ],
    );
    assert.deepEqual(lines[1].blocks, [
      { kind: 'text', text: 'a' },
      { kind: 'text', text: 'b' },
    ]);
    assert.equal(excerpt('one two three four five', 10), 'one two…');
  });
});

describe('export files', () => {
  it('suggests a file name from the title, or a dated one for several sessions', () => {
    assert.equal(suggestedFileName([{ title: 'Fix the Parser!' }], 'markdown', NOW), 'fix-the-parser.md');
    assert.equal(suggestedFileName([{ title: 'a' }, { title: 'b' }], 'json', NOW), 'multichat-sessions-2024-06-15.json');
    assert.equal(suggestedFileName([{ title: '???' }], 'json', NOW), 'multichat-sessions-2024-06-15.json');
    assert.equal(slugify('Café déjà vu'), 'cafe-deja-vu');
  });

  it('writes a bundle that import reads back', () => {
    const text = renderExport([], 'json');
    assert.match(text, /"format": "multichat-export"/);
  });
});

describe('migrating between stores', () => {
  it('copies every session, and copying again changes nothing', async () => {
    const source = new MemorySessionStore();
    const target = new MemorySessionStore();
    await source.create({ title: 'one', messages: [{ role: 'user', content: 'hi' }] });
    await source.create({ title: 'two', tags: ['x'] });
    const progress: number[] = [];
    const first = await migrateSessions(source, target, { onProgress: (done) => progress.push(done) });
    assert.deepEqual(first, { imported: 2, updated: 0, unchanged: 0, total: 2, cancelled: false });
    assert.deepEqual(progress, [1, 2]);
    assert.deepEqual(await target.list(), await source.list());
    const again = await migrateSessions(source, target);
    assert.deepEqual(again, { imported: 0, updated: 0, unchanged: 2, total: 2, cancelled: false });
  });

  it('stops between sessions when cancelled, and a second run finishes the job', async () => {
    const source = new MemorySessionStore();
    const target = new MemorySessionStore();
    for (const title of ['a', 'b', 'c']) {
      await source.create({ title });
    }
    let calls = 0;
    const stopped = await migrateSessions(source, target, { isCancelled: () => calls++ >= 1 });
    assert.equal(stopped.cancelled, true);
    assert.equal(stopped.imported, 1);
    const finished = await migrateSessions(source, target);
    assert.deepEqual([finished.imported, finished.unchanged], [2, 1]);
  });
});

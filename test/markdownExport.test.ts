import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { prepareSession } from '../src/core/validate';
import { readableTime, sessionToMarkdown } from '../src/interop/markdown';
import { demoteHeadings } from '../src/interop/markdownHeadings';

// Session → Markdown for people (Copy as Markdown, Markdown export): a message's own headings sit below
// its "## Role" section, code is left exactly as written, and times read plainly and deterministically.

describe('Markdown export headings', () => {
  it('demotes headings inside a message below the message heading, keeping their relative levels', () => {
    assert.equal(demoteHeadings('# Plan\n\ntext\n\n## Step one\n\n### Detail', 3), '### Plan\n\ntext\n\n#### Step one\n\n##### Detail');
    assert.equal(demoteHeadings('## Only h2\n\n### and h3', 3), '### Only h2\n\n#### and h3');
    assert.equal(demoteHeadings('### Already low\n\n#### enough', 3), '### Already low\n\n#### enough');
    assert.equal(demoteHeadings('# a\n\n##### e\n\n###### f', 3), '### a\n\n###### e\n\n###### f', 'capped at h6');
  });

  it('never touches a # inside fenced or indented code, or in running text', () => {
    const source = [
      '# Title',
      '',
      '```bash',
      '# a shell comment',
      '## another',
      '```',
      '',
      '~~~python',
      '# python comment',
      '~~~',
      '',
      '    # indented code',
      '',
      'Issue #12 and C# stay, and so does #hashtag.',
    ].join('\n');
    const expected = source.replace(/^# Title$/m, '### Title');
    assert.equal(demoteHeadings(source, 3), expected);
  });

  it('turns setext headings into ATX headings at the demoted level', () => {
    assert.equal(demoteHeadings('Big title\n=========\n\nSmaller\n-------\n\nbody', 3), '### Big title\n\n#### Smaller\n\nbody');
    assert.equal(demoteHeadings('Two line\ntitle\n===\n\nafter', 3), '### Two line title\n\nafter');
  });

  it('keeps container markers and closing hashes of headings in quotes and lists', () => {
    assert.equal(demoteHeadings('> # Quoted\n> text\n\n- ## In a list ##', 3), '> ### Quoted\n> text\n\n- #### In a list ##');
  });

  it('leaves Markdown without headings exactly as it is', () => {
    for (const source of ['plain', '---\n\nrule above', 'a\n\n| x | y |\n| - | - |\n| 1 | 2 |', '#not-a-heading', '']) {
      assert.equal(demoteHeadings(source, 3), source);
    }
  });
});

describe('Markdown export times', () => {
  it('prints times as "YYYY-MM-DD HH:MM UTC" whatever the local time zone', () => {
    assert.equal(readableTime('2026-11-28T14:03:27.120Z'), '2026-11-28 14:03 UTC');
    assert.equal(readableTime('2026-01-02T00:00:00Z'), '2026-01-02 00:00 UTC');
    assert.equal(readableTime('not a time'), 'not a time');
  });

  it('renders a session with readable times and demoted message headings', () => {
    const session = prepareSession({
      title: 'Release notes',
      createdAt: '2026-11-28T14:03:27.120Z',
      messages: [
        { role: 'user', content: 'Write the notes', createdAt: '2026-11-28T14:05:00.000Z' },
        { role: 'assistant', content: '# 0.1 release\n\n```md\n# kept as code\n```', createdAt: '2026-11-28T14:06:59.999Z', model: 'm1' },
      ],
    });
    const markdown = sessionToMarkdown(session);
    assert.match(markdown, /^\*Session `[^`]+` · created 2026-11-28 14:03 UTC · updated \d{4}-\d\d-\d\d \d\d:\d\d UTC\*$/m);
    assert.match(markdown, /^## User <sub>2026-11-28 14:05 UTC<\/sub>$/m);
    assert.match(markdown, /^## Assistant <sub>2026-11-28 14:06 UTC · m1<\/sub>$/m);
    assert.match(markdown, /^### 0\.1 release$/m);
    assert.match(markdown, /^# kept as code$/m);
    assert.doesNotMatch(markdown, /\d{4}-\d\d-\d\dT\d\d:/, 'no raw ISO time');
    assert.equal(markdown.match(/^# /gm)?.length, 2, 'only the session title (and the code line) start with "# "');
  });
});

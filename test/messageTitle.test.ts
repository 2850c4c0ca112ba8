import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { titleFromMessage } from '../src/core/messageTitle';

describe('titles from a first message', () => {
  it('take the first line with text, Markdown stripped', () => {
    assert.equal(titleFromMessage('How do I rotate logs?\nDetails follow.'), 'How do I rotate logs?');
    assert.equal(titleFromMessage('\n\n## **Bold** and _italic_ and `code`'), 'Bold and italic and code');
    assert.equal(titleFromMessage('> - [x] see [the docs](https://example.com) ![logo](a.png)'), 'see the docs logo');
    assert.equal(titleFromMessage('1. First <b>step</b>'), 'First step');
    assert.equal(titleFromMessage('```ts\nconst answer = 42;\n```'), 'const answer = 42;');
    assert.equal(titleFromMessage('snake_case_name stays whole'), 'snake_case_name stays whole');
  });

  it('cut a long line at a word boundary, marking the cut', () => {
    const title = titleFromMessage('Please explain why the incremental parser rebuilds the whole syntax tree after every keystroke');
    assert.equal(title, 'Please explain why the incremental parser rebuilds the…');
    assert.ok((title ?? '').length <= 60);
    const word = 'x'.repeat(80);
    assert.equal(titleFromMessage(word), `${'x'.repeat(59)}…`, 'one long word is cut where it must be');
  });

  it('give nothing for a message without text', () => {
    assert.equal(titleFromMessage(''), undefined);
    assert.equal(titleFromMessage('   \n```\n```\n'), undefined);
    assert.equal(titleFromMessage('**  **'), undefined);
  });
});

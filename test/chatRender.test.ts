import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { highlightCode } from '../src/webview/shared/codeHighlight';
import { createMarkdownRenderer } from '../src/webview/shared/chatMarkdown';
import { isSafeLink } from '../src/webview/shared/links';
import { FIRST_BATCH, OLDER_BATCH, REVEAL_CONTEXT, olderStart, windowStart } from '../src/webview/shared/renderWindow';

// How a chat tab renders: code blocks highlighted (class-only spans, everything escaped) with their
// language and a keyboard-reachable copy button, and which messages of a long session are rendered.

/** Nothing in rendered HTML may run or style itself: no script, no on* or style attribute, no unsafe URL. */
function assertInert(html: string): void {
  assert.doesNotMatch(html, /<script/i);
  assert.doesNotMatch(html, /<[a-z][^>]*\s(on[a-z]+|style)\s*=/i);
  assert.doesNotMatch(html, /<(iframe|object|embed|svg|style|link|meta|form|base|img)\b/i);
  for (const [, url] of html.matchAll(/\s(?:href|src)="([^"]*)"/g)) {
    assert.ok(isSafeLink(url), `unsafe URL rendered: ${url}`);
  }
}

/** The tags the highlighter may add inside <pre><code>: spans with hljs (or embedded-language) classes only. */
function assertOnlyHljsSpans(codeHtml: string): void {
  for (const [tag] of codeHtml.matchAll(/<[^>]+>/g)) {
    assert.match(tag, /^(<span class="(hljs-[a-z_ .-]+|language-[a-z]+)">|<\/span>)$/, tag);
  }
}

const codeOf = (html: string) => /<pre><code[^>]*>([\s\S]*?)<\/code><\/pre>/.exec(html)?.[1] ?? assert.fail(`no code in ${html}`);
const unescape = (html: string) =>
  html.replace(/<[^>]+>/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#x27;/g, "'").replace(/&amp;/g, '&');

describe('chat code blocks', () => {
  const render = createMarkdownRenderer();

  it('highlights common languages with class-only spans and names the language', () => {
    const samples: Record<string, [string, string]> = {
      ts: ['TypeScript', 'const n: number = 1; // one'],
      typescript: ['TypeScript', 'export interface A { b: string }'],
      js: ['JavaScript', 'function f() { return "x"; }'],
      python: ['Python', 'def f(x):\n    return x  # done'],
      py: ['Python', 'import os'],
      bash: ['Bash', 'echo "$HOME" # home'],
      sh: ['Bash', 'ls -la'],
      json: ['JSON', '{"a": [1, true, null]}'],
      sql: ['SQL', 'SELECT id FROM t WHERE x = 1;'],
      rust: ['Rust', 'fn main() { let x = 5; }'],
      go: ['Go', 'func main() { fmt.Println("hi") }'],
      html: ['HTML, XML', '<div class="a">x</div>'],
      yaml: ['YAML', 'key: value # c'],
      css: ['CSS', '.a { color: red; }'],
      diff: ['Diff', '- old\n+ new'],
    };
    for (const [language, [label, code]] of Object.entries(samples)) {
      const html = render(`\`\`\`${language}\n${code}\n\`\`\``);
      assertInert(html);
      assert.match(html, new RegExp(`<span class="code-language">${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}</span>`), language);
      assert.match(html, new RegExp(`<code class="hljs language-${language}">`), language);
      const code_ = codeOf(html);
      assert.match(code_, /<span class="hljs-/, `${language} is highlighted`);
      assertOnlyHljsSpans(code_);
      assert.equal(unescape(code_), `${code}\n`, `${language}: the code reads exactly as written`);
    }
  });

  it('escapes hostile code and hostile fence info instead of rendering it', () => {
    const payloads = [
      '```html\n</code></pre><script>alert(1)</script><img src=x onerror=alert(1)>\n```',
      '```js\nconst s = "</span><script>alert(1)</script>";\n```',
      '```"><script>alert(1)</script>\nx\n```',
      '```js" onmouseover="alert(1)\nx\n```',
      '```<img/src/onerror=alert(1)>\ncode\n```',
      '```\n<script>alert(1)</script>\n```',
    ];
    for (const payload of payloads) {
      const html = render(payload);
      assertInert(html);
      assertOnlyHljsSpans(codeOf(html));
    }
    assert.match(render(payloads[2]), /<span class="code-language">&quot;&gt;&lt;script&gt;alert\(1\)&lt;\/script&gt;<\/span>/);
  });

  it('shows an unknown language by its name, unhighlighted, and no label without one', () => {
    const unknown = render('```mermaid\ngraph TD; A-->B\n```');
    assert.match(unknown, /<span class="code-language">mermaid<\/span>/);
    assert.match(unknown, /<pre><code>graph TD; A--&gt;B\n<\/code><\/pre>/);
    const bare = render('```\nplain words\n```');
    assert.match(bare, /<span class="code-language"><\/span>/);
    assert.match(bare, /<pre><code>plain words\n<\/code><\/pre>/);
    assert.equal(highlightCode('x', 'no-such-language').html, '');
  });

  it('gives every code block a copy button with an accessible name, reachable by Tab', () => {
    for (const source of ['```ts\nlet a\n```', '```\nx\n```', '    indented code']) {
      const html = render(source);
      assert.match(html, /<div class="code-block"><div class="code-toolbar">.*<button type="button" class="copy-code" aria-label="Copy code"[^>]*>Copy<\/button><\/div><pre>/s, source);
      assert.doesNotMatch(html, /tabindex="-1"/);
    }
  });
});

describe('chat render window', () => {
  const ids = (count: number) => Array.from({ length: count }, (_, index) => `m${index}`);

  it('renders only the newest batch of a long session when it opens', () => {
    assert.equal(windowStart(ids(1000), { count: 0 }), 1000 - FIRST_BATCH);
    assert.equal(windowStart(ids(5), { count: 0 }), 0);
    assert.equal(windowStart([], { count: 0 }), 0);
  });

  it('keeps the oldest rendered message when the messages refresh or grow', () => {
    assert.equal(windowStart(ids(1001), { oldestId: 'm700', count: 300 }), 700);
    assert.equal(windowStart(ids(1000), { oldestId: 'm995', count: 5 }), 1000 - FIRST_BATCH, 'never fewer than the first batch');
    assert.equal(windowStart(ids(1000), { oldestId: 'gone', count: 100 }), 900, 'as many of the newest as before');
  });

  it('renders older messages a batch at a time, or down to a revealed message with some context', () => {
    assert.equal(olderStart(980), 980 - OLDER_BATCH);
    assert.equal(olderStart(10), 0);
    assert.equal(olderStart(980, 3), 0);
    assert.equal(olderStart(980, 500), 500 - REVEAL_CONTEXT);
    assert.equal(olderStart(980, 970), 980 - OLDER_BATCH, 'at least a batch');
  });
});

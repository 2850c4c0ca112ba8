import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Script } from 'node:vm';
import { ChatHtmlOptions, buildChatHtml, buildCsp, createNonce } from '../src/extension/chat/chatHtml';
import { loadWatchdogScript } from '../src/extension/chat/loadWatchdog';
import { parseChatState } from '../src/extension/chat/chatRefs';
import { parseWebviewMessage } from '../src/extension/chat/webviewInbox';
import { isSessionRef, sessionKey } from '../src/extension/sessionRef';
import { createMarkdownRenderer } from '../src/webview/shared/chatMarkdown';
import { isSafeLink } from '../src/webview/shared/links';

// The chat tab's webview, tested without VS Code: what it renders is inert, and what it says and
// keeps (messages, restored state, session refs) is checked before it is trusted.

/** Nothing in rendered HTML may run: no script element, no on* attribute, no unsafe URL. */
function assertInert(html: string): void {
  assert.doesNotMatch(html, /<script/i);
  assert.doesNotMatch(html, /<[a-z][^>]*\son[a-z]+\s*=/i);
  assert.doesNotMatch(html, /<(iframe|object|embed|svg|style|link|meta|form|base)\b/i);
  for (const [, url] of html.matchAll(/\s(?:href|src)="([^"]*)"/g)) {
    assert.ok(isSafeLink(url), `unsafe URL rendered: ${url}`);
  }
}

function htmlOptions(overrides: Partial<ChatHtmlOptions> = {}): ChatHtmlOptions {
  return {
    cspSource: 'x',
    nonce: 'N0NCE',
    scriptUri: 'https://a/chat.js',
    styleUri: 'https://a/chat.css',
    title: 'Chat',
    ref: { folder: 'file:///w', sessionId: 'S1' },
    attempt: 1,
    lastAttempt: false,
    loadRetryingText: 'Loading again',
    loadFailedText: 'Could not load',
    retryLabel: 'Retry',
    ...overrides,
  };
}

/** Runs the inline watchdog against a fake page whose webview state is `saved`; returns what it set, if anything. */
function runWatchdog(script: string, saved: unknown): unknown {
  let recorded: unknown;
  const element = { getAttribute: () => null, hasAttribute: () => false, addEventListener: () => undefined };
  const page = {
    acquireVsCodeApi: () => ({ getState: () => saved, setState: (state: unknown) => (recorded = state), postMessage: () => undefined }),
    document: { documentElement: element, addEventListener: () => undefined, getElementById: () => null },
    window: { addEventListener: () => undefined },
    setTimeout: () => 0,
    HTMLLinkElement: class {},
    HTMLScriptElement: class {},
  };
  new Script(script).runInNewContext(page);
  // Through JSON: the state was made in the script's own realm, and webview state is JSON anyway.
  return recorded === undefined ? undefined : JSON.parse(JSON.stringify(recorded));
}

describe('chat webview security', () => {
  const render = createMarkdownRenderer();

  it('builds the strict Content-Security-Policy with a nonce', () => {
    assert.equal(
      buildCsp('https://res.test', 'abc123'),
      "default-src 'none'; script-src 'nonce-abc123'; style-src https://res.test; img-src https://res.test data:; font-src https://res.test",
    );
  });

  it('uses a fresh alphanumeric nonce for every page and loads only the nonce-tagged script', () => {
    const nonces = new Set(Array.from({ length: 50 }, createNonce));
    assert.equal(nonces.size, 50);
    [...nonces].forEach((nonce) => assert.match(nonce, /^[A-Za-z0-9]{16,}$/));
    const html = buildChatHtml(htmlOptions({ title: '<b>"t"</b>' }));
    assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;;/);
    assert.deepEqual(html.match(/<script[^>]*>/g), ['<script nonce="N0NCE">', '<script nonce="N0NCE" src="https://a/chat.js">']);
    assert.doesNotMatch(html, /\son[a-z]+=/i);
    assert.match(html, /<title>&#60;b&#62;&#34;t&#34;&#60;\/b&#62;<\/title>/);
  });

  it('watches its own load inline, before the stylesheet, and says so in the page when it fails', () => {
    const html = buildChatHtml(htmlOptions({ attempt: 3, lastAttempt: true, loadFailedText: 'Could not <load>' }));
    const watchdog = html.indexOf('<script nonce="N0NCE">');
    assert.ok(watchdog > 0 && watchdog < html.indexOf('<link id="chat-style"'), 'the watchdog runs before chat.css is requested');
    assert.match(html, /<html lang="en" data-load-attempt="3" data-last-attempt="true">/);
    assert.match(html, /<p id="load-failed" role="alert" hidden>Could not &#60;load&#62;<\/p>/);
    assert.match(html, /<button type="button" id="retry" class="secondary" hidden>Retry<\/button>/);
    const script = loadWatchdogScript({ folder: 'file:///w', sessionId: 'S1' }, 5000);
    assert.doesNotMatch(script, /<\/script/i, 'the inline script cannot end its element early');
    assert.match(script, /setTimeout\(.*, 5000\)/s);
    assert.doesNotThrow(() => new Script(script), 'the inline script is valid JavaScript');
  });

  it('records its session as the page state at once, so a page reloaded before chat.js ran is restored', () => {
    const ref = { folder: 'file:///w</script><script>alert(1)</script>', sessionId: 'S1' };
    const script = loadWatchdogScript(ref);
    assert.doesNotMatch(script, /<\/script/i, 'a hostile folder name cannot end the inline script');
    assert.deepEqual(runWatchdog(script, undefined), { ref, draft: '', provisional: true });
    assert.deepEqual(runWatchdog(script, { ref: { folder: 'file:///other', sessionId: 'S1' }, draft: 'x' }), { ref, draft: '', provisional: true });
    // A page that already names this session (a restored tab, a fresh load of it) keeps its state and draft.
    assert.equal(runWatchdog(script, { ref, draft: 'half-written' }), undefined);
  });

  it('accepts only http, https and mailto links', () => {
    for (const safe of ['https://example.com/a?b#c', 'http://x.test', 'mailto:a@b.test', ' HTTPS://EXAMPLE.COM ']) {
      assert.ok(isSafeLink(safe), safe);
    }
    const unsafe = ['javascript:alert(1)', 'JaVaScRiPt:alert(1)', 'java\tscript:alert(1)', ' javascript:alert(1)', 'vbscript:x',
      'data:text/html,<script>alert(1)</script>', 'command:workbench.action.terminal.new', 'vscode://x', 'file:///etc/passwd', '/relative', '#top', ''];
    for (const href of unsafe) {
      assert.equal(isSafeLink(href), false, href);
    }
  });

  it('renders raw HTML, script tags and event-handler attributes as text', () => {
    const html = render('Hi <script>alert(1)</script> and <img src=x onerror=alert(1)>\n\n<iframe src="javascript:alert(1)"></iframe>');
    assertInert(html);
    assert.match(html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
    assert.match(html, /&lt;img src=x onerror=alert\(1\)&gt;/);
    assert.doesNotMatch(html, /<img/);
  });

  it('renders javascript:, data: and command links inert, as plain text', () => {
    const payloads = ['[x](javascript:alert(1))', '[x](JAVASCRIPT:alert(1))', '<javascript:alert(1)>', '![i](javascript:alert(1))',
      '[d](data:text/html;base64,PHNjcmlwdD4=)', '[c](command:workbench.action.reloadWindow)', '[r]: javascript:alert(1)\n\n[go][r]'];
    for (const payload of payloads) {
      const html = render(payload);
      assertInert(html);
      assert.doesNotMatch(html, /<a\s/, payload);
    }
    assert.match(render('[x](javascript:alert(1))'), /\[x\]\(javascript:alert\(1\)\)/);
  });

  it('keeps safe links, images, markdown and code blocks with a copy button', () => {
    const html = render('**bold** [site](https://example.com) https://auto.test ![p](https://img.test/p.png)\n\n```ts\nconst a = "<b>";\n```');
    assertInert(html);
    assert.match(html, /<strong>bold<\/strong>/);
    assert.match(html, /<a href="https:\/\/example\.com">site<\/a>/);
    assert.match(html, /<a href="https:\/\/auto\.test">/);
    assert.match(html, /<img src="https:\/\/img\.test\/p\.png" alt="p">/);
    assert.match(html, /<div class="code-block">.*<button type="button" class="copy-code"[^>]*>Copy<\/button>.*<pre><code class="hljs language-ts">/s);
    assert.match(html, /<span class="hljs-string">&quot;&lt;b&gt;&quot;<\/span>/);
    assert.match(render('    indented code'), /class="code-block"/);
  });
});

describe('chat webview messages', () => {
  it('accepts only well-formed messages from the webview', () => {
    assert.deepEqual(parseWebviewMessage({ type: 'send', text: 'hi' }), { type: 'send', text: 'hi' });
    assert.deepEqual(parseWebviewMessage({ type: 'ready' }), { type: 'ready' });
    assert.deepEqual(parseWebviewMessage({ type: 'retry' }), { type: 'retry' });
    assert.deepEqual(parseWebviewMessage({ type: 'loadFailed', missing: 'style', attempt: 2 }), { type: 'loadFailed', missing: 'style', attempt: 2 });
    for (const bad of [null, 'send', 42, {}, { type: 'send' }, { type: 'send', text: 1 }, { type: 'openLink' }, { type: 'toString' },
      { type: 'loadFailed', missing: 'image', attempt: 1 }, { type: 'loadFailed', missing: 'script', attempt: 'x' },
      { type: 'runCommand', command: 'x' }, { type: 'snapshot', requestId: '1', snapshot: {} }]) {
      assert.equal(parseWebviewMessage(bad), undefined, JSON.stringify(bad));
    }
  });

  it('restores a tab only from state that names a session', () => {
    const ref = { folder: 'file:///w', sessionId: 'S1' };
    assert.deepEqual(parseChatState({ ref, draft: 'half-written' }), { ref, draft: 'half-written' });
    assert.deepEqual(parseChatState({ ref: { ...ref, messageId: 'M' } }), { ref, draft: '' });
    for (const bad of [undefined, null, {}, { ref: { folder: 1, sessionId: 'x' } }, { draft: 'x' }]) {
      assert.equal(parseChatState(bad), undefined);
    }
    assert.ok(isSessionRef({ ...ref, messageId: 'M' }));
    assert.equal(isSessionRef({ ...ref, messageId: 3 }), false);
    const withMessage = { ...ref, messageId: 'M' };
    assert.equal(sessionKey(withMessage), sessionKey(ref));
    assert.notEqual(sessionKey(ref), sessionKey({ ...ref, folder: 'file:///other' }));
  });
});

// What the chat-tab UI test (ui-tabs.mjs) reads from the workbench page: whether each chat webview came up
// alive, how long switching back to a tab takes to paint, and a copy of the extension whose page files the
// test may break on purpose. The workbench, its webview host frames and the chat pages share one origin
// under the VS Code server, so the page's own script can look into the frames.
import { cpSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { poll } from './workbenchUi.mjs';

/** Each loaded chat page: its title, whether chat.css applied, chat.js rendered, and which load of the page it is. */
export async function chatPages(page) {
  const frames = page.frames().filter((frame) => frame.url().includes('/fake.html'));
  const pages = await Promise.all(frames.map((frame) => frame.evaluate(readPage).catch(() => undefined)));
  return pages.filter(Boolean);
}

function readPage() {
  const shown = (id) => document.getElementById(id)?.hidden === false;
  return {
    title: document.title,
    styled: getComputedStyle(document.body).display === 'flex',
    scripted: (document.getElementById('messages')?.childElementCount ?? 0) > 0,
    attempt: Number(document.documentElement.getAttribute('data-load-attempt')),
    retrying: shown('load-retrying'),
    failed: shown('load-failed'),
    input: document.getElementById('input')?.value ?? '',
    articles: document.querySelectorAll('#messages article').length,
    complete: document.readyState === 'complete',
  };
}

export const isAlive = (chat) => chat.styled && chat.scripted;

/** Polls until a chat page titled `title` is alive; resolves with what it shows. */
export async function expectAlive(page, title, timeoutMs) {
  const pages = await poll(`the chat tab "${title}" did not come up alive (styled by chat.css, rendered by chat.js)`,
    () => chatPages(page), (all) => all.some((chat) => chat.title === title && isAlive(chat)), { timeoutMs });
  return pages.find((chat) => chat.title === title && isAlive(chat));
}

/**
 * Arms a probe in the page that notes the time of the next pointerdown and of the first animation frame
 * (the one before the paint) in which the chat page titled `title` is visible with its messages rendered.
 */
export function armSwitchTimer(page, title) {
  return page.evaluate((wanted) => {
    const timing = { start: 0, painted: 0 };
    window.__chatSwitch = timing;
    document.addEventListener('pointerdown', () => (timing.start = performance.now()), { capture: true, once: true });
    const painted = () =>
      [...document.querySelectorAll('iframe.webview')].some((host) => {
        const chat = host.contentDocument?.getElementById('active-frame')?.contentDocument;
        const box = host.getBoundingClientRect();
        const visible = box.width > 0 && box.height > 0 && host.checkVisibility({ visibilityProperty: true, opacityProperty: true });
        return visible && chat?.title === wanted && chat.querySelector('#messages article') !== null;
      });
    const check = () => {
      if (timing.start > 0 && painted()) {
        timing.painted = performance.now();
      } else {
        requestAnimationFrame(check);
      }
    };
    requestAnimationFrame(check);
  }, title);
}

/** Milliseconds from the pointerdown to the painted frame, once both happened. */
export function switchTime(page, timeoutMs) {
  return poll('the tab switched to did not paint its chat', () => page.evaluate(() => window.__chatSwitch),
    (timing) => timing.start > 0 && timing.painted > 0, { timeoutMs, intervalMs: 50 }).then((timing) => timing.painted - timing.start);
}

/**
 * A copy of the built extension in the run's folder, so the test can break its page files without touching
 * the checkout. `stubScript()` swaps chat.js for one that plays dead on a page's first load (as a page whose
 * chat.js never arrived) and loads the real script, under the page's nonce, on the loads after.
 * `stallScript()` swaps it for one that marks itself started and then does nothing, so the page never says a
 * word to the extension (as when VS Code's frame around the page never loads) and stays on its first load.
 */
export function copyExtension(from, root) {
  const dir = join(root, 'extension');
  mkdirSync(dir);
  for (const entry of ['package.json', 'package.nls.json', 'dist', 'media']) {
    cpSync(join(from, entry), join(dir, entry), { recursive: true });
  }
  const chat = (file) => join(dir, 'media', 'chat', file);
  return {
    dir,
    stubScript() {
      renameSync(chat('chat.js'), chat('chat.real.js'));
      writeFileSync(chat('chat.js'), `(() => {
  if (document.documentElement.getAttribute('data-load-attempt') === '1') { return; }
  const real = document.createElement('script');
  real.nonce = document.currentScript.nonce;
  real.src = document.currentScript.src.replace('chat.js', 'chat.real.js');
  document.body.appendChild(real);
})();\n`);
    },
    stallScript() {
      renameSync(chat('chat.js'), chat('chat.real.js'));
      writeFileSync(chat('chat.js'), "document.documentElement.setAttribute('data-chat-started', '');\n");
    },
    /** chat.js swapped for one that marks itself started and runs the real script `ms` later (a slow load). */
    delayScript(ms) {
      renameSync(chat('chat.js'), chat('chat.real.js'));
      writeFileSync(chat('chat.js'), `(() => {
  document.documentElement.setAttribute('data-chat-started', '');
  const { nonce, src } = document.currentScript;
  setTimeout(() => {
    const real = document.createElement('script');
    real.nonce = nonce;
    real.src = src.replace('chat.js', 'chat.real.js');
    document.body.appendChild(real);
  }, ${Number(ms)});
})();\n`);
    },
    restoreScript: () => renameSync(chat('chat.real.js'), chat('chat.js')),
    hideStyle: () => renameSync(chat('chat.css'), chat('chat.css.away')),
    restoreStyle: () => renameSync(chat('chat.css.away'), chat('chat.css')),
  };
}

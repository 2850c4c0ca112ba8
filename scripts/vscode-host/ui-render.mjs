// The rendering UI test: a real VS Code workbench over a realistic store (eight sessions written by the CLI
// before the workbench opens, one of 1,000 messages), driven as a person would through playwright. Checks
// that code blocks are highlighted, labelled and copyable from the keyboard, that a 1,000-message session
// paints its newest messages within the render budget, and that scrolling up renders older messages without
// moving what is on screen.
// Usage: node scripts/vscode-host/ui-render.mjs [OUT.png] [--timeout SECONDS] [--render-budget-ms MS]
//        [--extension-dir DIR] [--verbose]
// Saves a screenshot of a session with highlighted code to OUT.png (default .vscode-test/ui-render.png).
// Exits 0 only if every check passed (1 on a failed check, 124 on the overall timeout).
// Needs `npm run build` and `node scripts/vscode-host/install.mjs` first.
//
// What "time to first paint" means here (the webview records it; nothing in the product is timed):
// - render: from the moment the chat tab's page receives the session's messages (the first 'init' or 'view'
//   post that carries them) to the first animation frame after the one in which the newest message was
//   laid out inside the message list's viewport (that frame has then been painted). This is the cost that
//   grows with the session, and what the budget bounds.
// - open: from the pointer press on the session's row in the Sessions view to that same frame. It also
//   holds VS Code creating the webview, loading its page and the extension reading the session; reported.
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { workbenchUrl } from './browser.mjs';
import { requireBuiltExtension } from './extensionDir.mjs';
import { withHost } from './hostSession.mjs';
import { ROOT } from './paths.mjs';
import { elapsed } from './proc.mjs';
import { CODE_TITLE, LONG_COUNT, LONG_TITLE, newestMarker, seedStore } from './uiRenderStore.mjs';
import { createStepRunner } from './uiSteps.mjs';
import { ignoreClosedPipes, runUiScript } from './uiScript.mjs';
import { UiAssertion, editorTab, expectLocator, openViewContainer, poll, resizeSideBar, sideBarRow, visibleWebview, waitForWorkbench } from './workbenchUi.mjs';

const { values: options, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    timeout: { type: 'string', default: '240' },
    'render-budget-ms': { type: 'string', default: '300' },
    'extension-dir': { type: 'string', default: ROOT },
    verbose: { type: 'boolean', default: false },
  },
});

ignoreClosedPipes();

const VIEWPORT = { width: 1400, height: 900 };
const SIDE_BAR_WIDTH = 340;
/** Opening (webview, page, store) is VS Code's and the disk's; only a hang fails it. */
const OPEN_LIMIT_MS = 15_000;
const LOAD_MS = 90_000;
const UI_MS = 30_000;

/**
 * Runs in every frame before its own scripts. The workbench notes when a pointer goes down; a chat tab's
 * page notes when the session's messages arrive and when the newest one is first painted in view.
 * VS Code writes a webview's page into its frame with document.write, which drops the listeners added
 * before it; so the page's listener is added when the chat script adds its own (just before it: first).
 */
function installRenderTiming() {
  if (window === window.top) {
    window.addEventListener('pointerdown', () => (window.__uiPointerDownAt = Date.now()), true);
    return;
  }
  const addEventListener = EventTarget.prototype.addEventListener;
  EventTarget.prototype.addEventListener = function (type, listener, options) {
    if (this === window && type === 'message' && !window.__uiTimingListening && document.getElementById('messages')) {
      window.__uiTimingListening = true;
      addEventListener.call(window, 'message', (event) => timeFirstPaint(event.data?.view?.messages), true);
    }
    return addEventListener.call(this, type, listener, options);
  };
  function timeFirstPaint(messages) {
    if (window.__uiRenderTiming || !Array.isArray(messages) || messages.length === 0) {
      return;
    }
    // timeOrigin: when this page started loading (VS Code had created the webview by then).
    const timing = (window.__uiRenderTiming = { pageStartAt: Math.round(performance.timeOrigin), receivedAt: Date.now(), count: messages.length });
    const articles = () => document.querySelectorAll('#messages article.message');
    const newestInView = () => {
      const newest = [...articles()].at(-1);
      const view = document.getElementById('messages').getBoundingClientRect();
      const box = newest?.getBoundingClientRect();
      return box !== undefined && box.height > 0 && box.bottom > view.top && box.top < view.bottom;
    };
    const check = () => {
      timing.firstFrameAt ??= Date.now(); // the chat script's work on the post is done by the first frame
      if (newestInView()) {
        // The frame that laid the newest message out has been painted when the next frame begins.
        requestAnimationFrame(() => {
          timing.paintedAt = Date.now();
          timing.rendered = articles().length;
          timing.newestText = [...articles()].at(-1)?.textContent ?? '';
        });
      } else if (Date.now() - timing.receivedAt < 60_000) {
        requestAnimationFrame(check);
      }
    };
    requestAnimationFrame(check);
  }
}

/** The parts of opening a tab, in ms: VS Code until the page starts, the page and extension until the messages arrive, rendering. */
function phases(timing, clickAt) {
  return {
    renderMs: timing.paintedAt - timing.receivedAt,
    scriptMs: timing.firstFrameAt - timing.receivedAt,
    openMs: timing.paintedAt - clickAt,
    webviewMs: timing.pageStartAt - clickAt,
    loadMs: timing.receivedAt - timing.pageStartAt,
  };
}

const describePhases = (t) =>
  `first paint ${t.renderMs} ms after the messages arrived (${t.scriptMs} ms of script before the first frame), ` +
  `${t.openMs} ms after the click (webview created ${t.webviewMs} ms, page loaded and messages posted ${t.loadMs} ms)`;

async function main() {
  const out = resolve(positionals[0] ?? '.vscode-test/ui-render.png');
  const timeoutMs = Number(options.timeout) * 1000;
  const renderBudgetMs = Number(options['render-budget-ms']);
  const started = Date.now();
  const extensionDir = requireBuiltExtension(options['extension-dir']);
  const prepare = (sandbox) => {
    const count = seedStore(sandbox.workspace, extensionDir);
    console.log(`ui-render: seeded ${count} sessions with the CLI (${elapsed(started)})`);
  };
  await withHost({ timeoutMs, prepare }, async ({ sandbox, port, page }) => {
    const runner = createStepRunner(page, sandbox, { prefix: 'ui-render' });
    const limitMs = Math.max(timeoutMs - 15_000, timeoutMs * 0.8);
    const context = { page, port, workspace: sandbox.workspace, extensionDir, out, renderBudgetMs };
    await runner.run(() => scenario(runner.step, context), limitMs);
    console.log(`ui-render: step timings: ${runner.summary()}`);
  });
  console.log(`ui-render: all checks passed; screenshot saved to ${out} (${elapsed(started)} in all)`);
}

async function scenario(step, { page, port, workspace, extensionDir, out, renderBudgetMs }) {
  const chat = visibleWebview(page);
  const list = chat.locator('#messages');
  const codeBlock = chat.locator('.code-block', { has: chat.locator('.code-language', { hasText: 'TypeScript' }) });

  await step('open the workbench over the seeded store', async () => {
    await page.setViewportSize(VIEWPORT);
    await page.addInitScript(installRenderTiming);
    await page.goto(workbenchUrl(port, { workspace, extensionDevelopmentPath: extensionDir }));
    await waitForWorkbench(page, LOAD_MS);
    await openViewContainer(page, 'Multichat', LOAD_MS);
    await expectLocator(sideBarRow(page, LONG_TITLE), `the Sessions view does not list "${LONG_TITLE}"`, { timeoutMs: LOAD_MS });
    await resizeSideBar(page, SIDE_BAR_WIDTH).catch((error) => process.stdout.write(`(could not resize the side bar: ${error.message}) `));
  });

  await step('a code block is highlighted and labelled with its language', async () => {
    await sideBarRow(page, CODE_TITLE).first().click();
    await expectLocator(editorTab(page, CODE_TITLE), `no tab titled "${CODE_TITLE}" opened`, { timeoutMs: LOAD_MS });
    await expectLocator(codeBlock, 'no code block labelled "TypeScript" in the chat tab', { timeoutMs: LOAD_MS });
    const painted = await poll('the code session was never painted', () => list.evaluate(() => window.__uiRenderTiming), (value) => value?.paintedAt !== undefined, { timeoutMs: UI_MS });
    console.log(`\nui-render: ${painted.count} messages: ${describePhases({ ...painted, ...phases(painted, await page.evaluate(() => window.__uiPointerDownAt)) })}`);
    const colours = await codeBlock.first().evaluate((block) => {
      const keyword = block.querySelector('code.hljs .hljs-keyword');
      return keyword && { keyword: getComputedStyle(keyword).color, code: getComputedStyle(block.querySelector('code')).color };
    });
    if (!colours || colours.keyword === colours.code) {
      throw new UiAssertion(`the TypeScript block's keywords are not coloured apart from its text (${JSON.stringify(colours)})`);
    }
    await expectLocator(chat.locator('.code-block .code-language', { hasText: 'Python' }), 'no code block labelled "Python"', { timeoutMs: UI_MS });
  });

  await step('the copy button is reached with Tab and works with Enter', async () => {
    await chat.locator('article.role-user .message-body').first().click();
    await page.keyboard.press('Tab');
    const copy = codeBlock.first().locator('button.copy-code');
    await poll('Tab from the first message does not reach the code block\'s copy button',
      () => copy.evaluate((button) => document.activeElement === button), Boolean, { timeoutMs: 5_000 });
    const name = await copy.getAttribute('aria-label');
    if (name !== 'Copy code' || !(await copy.isVisible())) {
      throw new UiAssertion(`the focused copy button is not visible with the name "Copy code" (name: ${name})`);
    }
    await page.keyboard.press('Enter');
    await poll('Enter on the copy button did not say "Copied"', () => copy.innerText(), (text) => text === 'Copied', { timeoutMs: 5_000 });
  });

  const timing = await step(`open the ${LONG_COUNT}-message session: newest message painted`, async () => {
    await page.evaluate(() => (window.__uiPointerDownAt = undefined));
    await sideBarRow(page, LONG_TITLE).first().click();
    await expectLocator(editorTab(page, LONG_TITLE), `no tab titled "${LONG_TITLE}" opened`, { timeoutMs: LOAD_MS });
    const painted = await poll('the long session\'s newest message was never painted in view',
      () => list.evaluate(() => window.__uiRenderTiming), (value) => value?.count === LONG_COUNT && value.paintedAt !== undefined, { timeoutMs: LOAD_MS });
    const clickAt = await page.evaluate(() => window.__uiPointerDownAt);
    return { ...painted, ...phases(painted, clickAt) };
  });
  console.log(`ui-render: ${LONG_COUNT} messages: ${describePhases(timing)}; ${timing.rendered} messages rendered`);

  await step('the first paint is fast and shows only the newest messages', () => {
    if (!timing.newestText.includes(newestMarker)) {
      throw new UiAssertion(`the last rendered message is not the newest one (${timing.newestText.slice(0, 80)})`);
    }
    if (!(timing.renderMs <= renderBudgetMs)) {
      throw new UiAssertion(`the first paint took ${timing.renderMs} ms after the messages arrived (budget ${renderBudgetMs} ms)`);
    }
    if (!(timing.openMs <= OPEN_LIMIT_MS)) {
      throw new UiAssertion(`the session took ${timing.openMs} ms from the click to its first paint (limit ${OPEN_LIMIT_MS} ms)`);
    }
    if (!(timing.rendered < LONG_COUNT)) {
      throw new UiAssertion(`all ${timing.rendered} messages were rendered at once`);
    }
  });

  await step('scrolling to the top renders older messages and keeps the view still', async () => {
    // As dragging the scroll bar to the top does: the list scrolls, and its scroll event does the rest.
    const before = await list.evaluate((element) => {
      element.scrollTop = 0;
      const first = element.querySelector('article.message');
      return { id: first.dataset.id, top: first.getBoundingClientRect().top, count: element.querySelectorAll('article.message').length };
    });
    const after = await poll('no older messages were rendered after scrolling to the top',
      () => list.evaluate((element, id) => ({
        count: element.querySelectorAll('article.message').length,
        top: element.querySelector(`article.message[data-id="${id}"]`)?.getBoundingClientRect().top,
      }), before.id), (value) => value.count > before.count, { timeoutMs: UI_MS });
    if (Math.abs(after.top - before.top) > 2) {
      throw new UiAssertion(`the message at the top moved from y=${before.top} to y=${after.top} when older ones were rendered`);
    }
    console.log(`ui-render: scrolled to the top: ${before.count} → ${after.count} messages rendered, the view stayed put`);
  });

  await step('save the screenshot of the code session', async () => {
    await sideBarRow(page, CODE_TITLE).first().click();
    await expectLocator(codeBlock, 'the code session did not come back to the front', { timeoutMs: UI_MS });
    await page.mouse.move(VIEWPORT.width - 5, VIEWPORT.height / 2);
    mkdirSync(dirname(out), { recursive: true });
    await page.screenshot({ path: out });
  });
}

runUiScript('ui-render', main, { verbose: options.verbose });

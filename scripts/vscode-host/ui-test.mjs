// The UI test: drives a real VS Code workbench with the extension loaded, as a person would (mouse and keyboard
// through playwright, no extension API), and checks that a chat tab survives a window reload.
// Usage: node scripts/vscode-host/ui-test.mjs [OUT.png] [--timeout SECONDS] [--extension-dir DIR] [--verbose]
// Saves a screenshot of the final state to OUT.png (default .vscode-test/ui-test.png, git-ignored: `npm run
// screenshot` is what refreshes the README's media/screenshot.png); exits 0 only if every check
// passed (1 on a failed check, 124 on the overall timeout), having killed the server and removed its temp folder.
// Needs `npm run build` and `node scripts/vscode-host/install.mjs` first.
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { workbenchUrl } from './browser.mjs';
import { requireBuiltExtension } from './extensionDir.mjs';
import { withHost } from './hostSession.mjs';
import { ROOT } from './paths.mjs';
import { elapsed } from './proc.mjs';
import { createStepRunner } from './uiSteps.mjs';
import { ignoreClosedPipes, runUiScript } from './uiScript.mjs';
import {
  answerInputBox,
  editorTab,
  expectLocator,
  openViewContainer,
  poll,
  reloadWindow,
  resizeSideBar,
  runCommand,
  sideBarRow,
  visibleWebview,
  waitForWorkbench,
} from './workbenchUi.mjs';

const { values: options, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    timeout: { type: 'string', default: '180' },
    'extension-dir': { type: 'string', default: ROOT },
    verbose: { type: 'boolean', default: false },
  },
});

ignoreClosedPipes();

const VIEWPORT = { width: 1400, height: 900 };
const SIDE_BAR_WIDTH = 380;
const TITLE = 'Release checklist';
const MESSAGE = 'Which steps are left before the 0.1 release?';
const DRAFT = 'Draft kept across the reload: also update the changelog';
const NO_MODEL = 'No language model is installed';
/** Bounds for single waits: generous for a loaded 2-core machine, well inside the overall timeout. */
const LOAD_MS = 90_000;
const UI_MS = 30_000;

async function main() {
  const out = resolve(positionals[0] ?? '.vscode-test/ui-test.png');
  const timeoutMs = Number(options.timeout) * 1000;
  const started = Date.now();
  const extensionDir = requireBuiltExtension(options['extension-dir']);
  // The host's own timeout (exit 124) is the backstop; the runner fails first, with a screenshot.
  await withHost({ timeoutMs }, async ({ sandbox, port, page }) => {
    const runner = createStepRunner(page, sandbox);
    const limitMs = Math.max(timeoutMs - 15_000, timeoutMs * 0.8);
    await runner.run(() => scenario(runner.step, { page, port, workspace: sandbox.workspace, extensionDir, out }), limitMs);
    console.log(`ui-test: step timings: ${runner.summary()}`);
  });
  console.log(`ui-test: all checks passed; screenshot saved to ${out} (${elapsed(started)} in all)`);
}

async function scenario(step, { page, port, workspace, extensionDir, out }) {
  const chat = visibleWebview(page);
  const input = chat.locator('#input');
  const sessionRow = sideBarRow(page, TITLE);
  const rowDescription = () => sessionRow.first().locator('.label-description').innerText();

  await step('open the workbench', async () => {
    await page.setViewportSize(VIEWPORT);
    page.on('dialog', (dialog) => dialog.accept().catch(() => undefined)); // e.g. "leave site?" on reload: confirm
    await page.goto(workbenchUrl(port, { workspace, extensionDevelopmentPath: extensionDir }));
    await waitForWorkbench(page, LOAD_MS);
  });

  await step('open the Multichat view from the activity bar', async () => {
    await openViewContainer(page, 'Multichat', LOAD_MS);
    // A container with one view shows it under the container's title: "MULTICHAT: SESSIONS".
    await expectLocator(page.locator('.part.sidebar .composite.title .title-label', { hasText: /sessions/i }),
      'the Multichat side bar does not show the "Sessions" view', { timeoutMs: UI_MS });
    await expectLocator(page.locator('.part.sidebar .welcome-view-content', { hasText: 'No chat sessions yet' }),
      'the empty Sessions view does not show its "No chat sessions yet" welcome', { timeoutMs: LOAD_MS });
    // Wide enough for a session's description ("1 message · just now"), as VS Code keeps it across the reload.
    // Cosmetic (for the screenshots), so not a check.
    await resizeSideBar(page, SIDE_BAR_WIDTH).catch((error) => process.stdout.write(`(could not widen the side bar: ${error.message}) `));
  });

  await step('create a session from the command palette', async () => {
    await runCommand(page, 'Multichat: New Session…', { timeoutMs: UI_MS });
    await answerInputBox(page, 'New Session', TITLE, LOAD_MS);
  });

  await step('the chat tab opens', async () => {
    await expectLocator(editorTab(page, TITLE), `no editor tab titled "${TITLE}" opened after New Session`, { timeoutMs: LOAD_MS });
    await expectLocator(input, 'the chat tab shows no message box (#input in its webview)', { timeoutMs: LOAD_MS });
    await expectLocator(chat.locator('#messages .empty'), 'the new chat tab does not say it has no messages yet', { timeoutMs: UI_MS });
  });

  await step('the session is listed in the Sessions view', async () => {
    await expectLocator(sessionRow, `the Sessions view does not list "${TITLE}"`, { timeoutMs: UI_MS });
    await poll(`the "${TITLE}" item does not describe 0 messages`, rowDescription, (text) => /^0 messages\b/.test(text), { timeoutMs: UI_MS });
  });

  await step('send a message with Enter', async () => {
    await input.click();
    await page.keyboard.type(MESSAGE, { delay: 10 });
    await poll('the chat message box did not take the typed text', () => input.inputValue(), (value) => value === MESSAGE, { timeoutMs: 5_000 });
    await page.keyboard.press('Enter');
    await expectLocator(chat.locator('#messages article.message.role-user .message-body', { hasText: MESSAGE }),
      'the sent message does not appear in the chat tab', { timeoutMs: UI_MS });
    await expectLocator(chat.locator('#notice:not([hidden])', { hasText: NO_MODEL }),
      `the chat tab does not show the "${NO_MODEL}" notice`, { timeoutMs: UI_MS });
    await poll('the message box was not emptied after sending', () => input.inputValue(), (value) => value === '', { timeoutMs: UI_MS });
  });

  await step('the Sessions view counts the message', async () => {
    await poll(`the "${TITLE}" item's description does not update to 1 message`, rowDescription, (text) => /^1 message\b/.test(text), { timeoutMs: UI_MS });
  });

  await step('type an unsent draft', async () => {
    await input.click();
    await page.keyboard.type(DRAFT, { delay: 10 });
    await poll('the chat message box did not take the draft', () => input.inputValue(), (value) => value === DRAFT, { timeoutMs: 5_000 });
  });

  await step('reload the window (Developer: Reload Window)', () => reloadWindow(page, LOAD_MS));

  await step('the chat tab comes back with its message and draft', async () => {
    // VS Code shows the tab from its own memory at once; only the extension's serializer fills it (or closes it).
    await expectLocator(chat.locator('#messages article.message.role-user .message-body', { hasText: MESSAGE }),
      'the chat tab did not come back after the reload with the message sent before it', { timeoutMs: LOAD_MS });
    await poll('the restored chat tab lost the unsent draft', () => input.inputValue(), (value) => value === DRAFT, { timeoutMs: UI_MS });
    await expectLocator(editorTab(page, TITLE), `the restored chat tab is not titled "${TITLE}"`, { timeoutMs: UI_MS });
  });

  await step('the Sessions view still lists the session', async () => {
    // VS Code restores the side bar that was open; open it again only if it did not (not the extension's job).
    await openViewContainer(page, 'Multichat', LOAD_MS);
    await expectLocator(sessionRow, `the Sessions view does not list "${TITLE}" after the reload`, { timeoutMs: LOAD_MS });
    await poll(`the "${TITLE}" item does not describe 1 message after the reload`, rowDescription, (text) => /^1 message\b/.test(text), { timeoutMs: UI_MS });
  });

  await step('save the screenshot', async () => {
    await page.mouse.move(VIEWPORT.width - 5, VIEWPORT.height / 2); // no hover tooltip over what the shot shows
    await poll('the chat tab was not visible for the screenshot', () => input.isVisible(), Boolean, { timeoutMs: UI_MS });
    mkdirSync(dirname(out), { recursive: true });
    await page.screenshot({ path: out });
  });
}

runUiScript('ui-test', main, { verbose: options.verbose });

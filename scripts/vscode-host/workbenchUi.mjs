// Drives the VS Code workbench in the browser as a person would: real clicks and key presses through
// playwright, never the extension's API. Every wait is on a condition (bounded), never a fixed sleep, so a
// loaded machine only makes a run slower, not flaky. Selectors are VS Code 1.100's workbench DOM.
import { delay } from './proc.mjs';

/** Thrown with a message meant for the person reading the test output. */
export class UiAssertion extends Error {}

/**
 * Polls `probe` until `accept(value)` holds; probe errors (a frame not there yet, a navigation) count as
 * "not yet". Resolves with the accepted value, or throws `message` with the last value or error seen.
 */
export async function poll(message, probe, accept = Boolean, { timeoutMs = 30_000, intervalMs = 200 } = {}) {
  const deadline = Date.now() + timeoutMs;
  let last = { error: 'never probed' };
  for (;;) {
    try {
      const value = await probe();
      if (accept(value)) {
        return value;
      }
      last = { value };
    } catch (error) {
      last = { error: firstLine(error) };
    }
    if (Date.now() >= deadline) {
      const seen = 'value' in last ? `last seen: ${JSON.stringify(last.value)}` : `last error: ${last.error}`;
      throw new UiAssertion(`${message} (waited ${Math.round(timeoutMs / 1000)}s; ${seen})`);
    }
    await delay(intervalMs);
  }
}

/** Waits for a locator's state, failing with `message` instead of playwright's selector dump. */
export async function expectLocator(locator, message, { state = 'visible', timeoutMs = 30_000 } = {}) {
  try {
    await locator.first().waitFor({ state, timeout: timeoutMs });
  } catch (error) {
    throw new UiAssertion(`${message} (waited ${Math.round(timeoutMs / 1000)}s: ${firstLine(error)})`);
  }
}

export function firstLine(error) {
  return String(error?.message ?? error).split('\n')[0];
}

/** The workbench is up once its parts are laid out (the extension host may still be starting: later waits cover it). */
export async function waitForWorkbench(page, timeoutMs = 90_000) {
  await expectLocator(page.locator('.monaco-workbench .part.activitybar .composite-bar .action-item'), 'the workbench did not load', { timeoutMs });
  await expectLocator(page.locator('.monaco-workbench .part.statusbar'), 'the workbench status bar did not appear', { timeoutMs });
}

/** Clicks a view container's icon in the activity bar (by its title) and waits for its side bar to show. */
export async function openViewContainer(page, title, timeoutMs = 30_000) {
  const icon = page.locator(`.part.activitybar a.action-label[aria-label="${title}"]`);
  await expectLocator(icon, `the activity bar has no "${title}" icon`, { timeoutMs });
  // A click on the icon of the container already showing would close the side bar: only click if needed.
  if (!(await isSideBarShowing(page, title))) {
    await icon.click();
  }
  await poll(`the side bar did not show "${title}" after clicking its activity bar icon`, () => isSideBarShowing(page, title), Boolean, { timeoutMs });
}

async function isSideBarShowing(page, title) {
  const label = page.locator('.part.sidebar:visible .composite.title .title-label');
  if ((await label.count()) === 0) {
    return false;
  }
  return (await label.first().innerText()).trim().toUpperCase().startsWith(title.toUpperCase());
}

/** Where F1 (or a command prompting for input) types. */
export const quickInput = (page) => page.locator('.quick-input-widget:visible');
const quickInputBox = (page) => quickInput(page).locator('.quick-input-box input');

/**
 * F1, types the command's label, waits until the highlighted entry is that command, presses Enter.
 * `label` is the palette label, e.g. "Multichat: New Session…"; `typed` what the person types (default: label).
 */
export async function runCommand(page, label, { typed = label.replace(/…$/, ''), timeoutMs = 30_000 } = {}) {
  await poll(`F1 did not open the command palette`, async () => {
    // A focused webview forwards its key presses to the workbench, so F1 works wherever the focus is.
    if (!(await quickInput(page).count())) {
      await page.keyboard.press('F1');
    }
    return quickInputBox(page).evaluate((input) => document.activeElement === input && input.value === '>');
  }, Boolean, { timeoutMs, intervalMs: 1000 });
  await page.keyboard.type(typed, { delay: 15 });
  await poll(`the command palette did not type "${typed}"`, () => quickInputBox(page).inputValue(), (value) => value === `>${typed}`, { timeoutMs: 5_000 });
  const focused = quickInput(page).locator('.monaco-list-row.focused .quick-input-list-label');
  await poll(`the command palette does not offer "${label}"`, () => focused.innerText(), (text) => text.split('\n')[0].trim() === label, { timeoutMs });
  await page.keyboard.press('Enter');
}

/** Answers an input box (e.g. showInputBox) whose title is `title`: replaces its value with `text`, then Enter. */
export async function answerInputBox(page, title, text, timeoutMs = 30_000) {
  const titled = quickInput(page).locator('.quick-input-title', { hasText: title });
  await expectLocator(titled, `no input box titled "${title}" appeared`, { timeoutMs });
  await poll(`the "${title}" input box did not take the focus`, () => quickInputBox(page).evaluate((input) => document.activeElement === input), Boolean, { timeoutMs: 10_000 });
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.type(text, { delay: 15 });
  await poll(`the "${title}" input box did not take the typed text`, () => quickInputBox(page).inputValue(), (value) => value === text, { timeoutMs: 5_000 });
  await page.keyboard.press('Enter');
  await expectLocator(quickInput(page), `the "${title}" input box did not close after Enter (was the value refused?)`, { state: 'hidden', timeoutMs });
}

/** The editor tab whose label is `title`. */
export const editorTab = (page, title) =>
  page.locator('.part.editor .tabs-container .tab', { has: page.locator('.label-name', { hasText: exactText(title) }) });

/** The rows of the side bar's trees whose label is `label`. */
export const sideBarRow = (page, label) =>
  page.locator('.part.sidebar .monaco-list-row', { has: page.locator('.label-name', { hasText: exactText(label) }) });

/** The rows labelled `label` in one view of the side bar (its pane titled `view`), when the container shows several. */
export const viewRow = (page, view, label) =>
  page.locator('.part.sidebar .pane', { has: page.locator('.pane-header .title', { hasText: new RegExp(exactText(view).source, 'i') }) })
    .locator('.monaco-list-row', { has: page.locator('.label-name', { hasText: exactText(label) }) });

/** A status bar item by its id; an extension's is `<publisher>.<name>.<item id>`. */
export const statusBarItem = (page, id) => page.locator(`.part.statusbar [id="${id}"]`);

/** The modal dialog showing (a modal showWarningMessage, a confirmation), and one of its buttons. */
export const dialog = (page) => page.locator('.monaco-dialog-box:visible');
export const dialogButton = (page, label) => dialog(page).locator('.dialog-buttons .monaco-button', { hasText: exactText(label) });

/** A notification toast holding `text`. */
export const toast = (page, text) => page.locator('.notifications-toasts .notification-list-item', { hasText: text });

/**
 * Right-clicks `row` and picks `item` from its context menu, until `until` (what the item brings up) shows;
 * throws `failure` if it does not. The row is looked up again right before each right-click, and the menu
 * must be the row's own (a right-click focuses the row it lands on), else it is closed and the row aimed at
 * again. VS Code's menus ignore a click that comes too soon after they open (so a right-click's release does
 * not pick an item): a person would click again, and so does this, while the menu is still open. A quick
 * pick opening instead fails at once: the command got no row from the menu and asked which one, which is
 * the product's failure, not the test's.
 */
export async function chooseFromContextMenu(page, row, item, { until, failure, timeoutMs = 30_000 }) {
  const entry = page.locator('.context-view .action-label', { hasText: exactText(item) });
  for (let attempt = 1; ; attempt++) {
    await expectLocator(row, `${failure}: the row to right-click is not shown`, { timeoutMs });
    await row.first().click({ button: 'right' });
    await expectLocator(entry, `the context menu has no "${item}"`, { timeoutMs });
    if (await row.first().evaluate((element) => element.classList.contains('focused')).catch(() => false)) {
      break;
    }
    // The rows moved under the pointer (a session came or went): close that menu and aim again.
    await page.keyboard.press('Escape');
    await expectLocator(entry, 'the context menu did not close on Escape', { state: 'hidden', timeoutMs });
    if (attempt === 3) {
      throw new UiAssertion(`${failure}: ${attempt} right-clicks opened the menu of another row than the one meant`);
    }
  }
  const picker = quickInput(page).locator('.quick-input-box input');
  for (let attempt = 0; attempt < 5 && (await entry.count()) > 0 && !(await until.first().isVisible()); attempt++) {
    await entry.first().click({ timeout: 2_000 }).catch(() => undefined);
    await Promise.race([until.first().waitFor({ timeout: 2_000 }), picker.first().waitFor({ timeout: 2_000 })]).catch(() => undefined);
    if ((await picker.count()) > 0 && !(await until.first().isVisible())) {
      const asked = await picker.first().getAttribute('placeholder').catch(() => null);
      await page.keyboard.press('Escape');
      throw new UiAssertion(`${failure}: "${item}" asked to pick ("${asked ?? '?'}") as if the menu had passed it no row`);
    }
  }
  await expectLocator(until, failure, { timeoutMs });
}

const exactText = (text) => new RegExp(`^\\s*${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`);

/**
 * The page inside the visible webview. A webview is two nested iframes: the workbench's host frame
 * (iframe.webview) and inside it the extension's page (#active-frame).
 */
export function visibleWebview(page) {
  return page.frameLocator('iframe.webview.ready:visible').first().frameLocator('iframe#active-frame');
}

/**
 * Reloads the window through the command palette ("Developer: Reload Window") and waits for the new
 * workbench. A marker on the old page tells the two apart.
 */
export async function reloadWindow(page, timeoutMs = 90_000) {
  await page.evaluate(() => (window.__uiTestBeforeReload = true));
  await runCommand(page, 'Developer: Reload Window');
  await poll('the window did not reload after "Developer: Reload Window"', () => page.evaluate(() => window.__uiTestBeforeReload !== true), Boolean, { timeoutMs });
  await waitForWorkbench(page, timeoutMs);
}

/** Drags the side bar's edge (its sash) so the side bar is `width` pixels wide; resolves with the new width. */
export async function resizeSideBar(page, width) {
  const box = await page.locator('.part.sidebar').boundingBox();
  if (!box) {
    throw new UiAssertion('there is no side bar to resize');
  }
  const y = box.y + box.height / 2;
  await page.mouse.move(box.x + box.width, y);
  await page.mouse.down();
  await page.mouse.move(box.x + width, y, { steps: 8 });
  await page.mouse.up();
  return poll('the side bar did not resize', async () => (await page.locator('.part.sidebar').boundingBox())?.width ?? 0, (now) => Math.abs(now - width) <= 2, { timeoutMs: 5_000 });
}

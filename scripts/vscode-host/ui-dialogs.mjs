// The UI test of the product's dialogs: starts the VS Code server exactly as `npm start` does (productServer.mjs,
// none of the test-only flags), on the sample workspace `npm start` seeds, and through real mouse and keyboard
// deletes a session via its confirmation dialog and runs Switch Storage Backend through its dialog. Under the
// smoke-test driver both failed with "DialogService: refused to show dialog in tests".
// Usage: node scripts/vscode-host/ui-dialogs.mjs [--timeout SECONDS] [--verbose]
// Exits 0 only if every check passed (1 on a failed check, 124 on the overall timeout). Needs `npm run build`.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { seedSampleWorkspace } from '../sampleWorkspace.mjs';
import { workbenchUrl } from './browser.mjs';
import { requireBuiltExtension } from './extensionDir.mjs';
import { withHost } from './hostSession.mjs';
import { ROOT } from './paths.mjs';
import { startProductServer } from './productServer.mjs';
import { elapsed } from './proc.mjs';
import { createStepRunner } from './uiSteps.mjs';
import { runUiScript } from './uiScript.mjs';
import {
  UiAssertion,
  chooseFromContextMenu,
  dialog,
  dialogButton,
  expectLocator,
  openViewContainer,
  poll,
  quickInput,
  runCommand,
  sideBarRow,
  toast,
  waitForWorkbench,
} from './workbenchUi.mjs';

const { values: options } = parseArgs({
  options: {
    timeout: { type: 'string', default: '180' },
    verbose: { type: 'boolean', default: false },
  },
});

const LOAD_MS = 90_000;
const UI_MS = 30_000;
const DELETED = 'Flaky CI on Tuesdays';
const KEPT = 'Welcome to Multichat Sessions';

async function main() {
  const started = Date.now();
  const extensionDir = requireBuiltExtension(ROOT);
  const timeoutMs = Number(options.timeout) * 1000;
  const prepare = (sandbox) => seedSampleWorkspace(sandbox.workspace);
  await withHost({ timeoutMs, prepare, startServer: startProductServer }, async ({ sandbox, port, page }) => {
    const runner = createStepRunner(page, sandbox, { prefix: 'ui-dialogs' });
    await runner.run(() => scenario(runner.step, { page, port, workspace: sandbox.workspace, extensionDir }), Math.max(timeoutMs - 15_000, timeoutMs * 0.8));
    console.log(`ui-dialogs: step timings: ${runner.summary()}`);
  });
  console.log(`ui-dialogs: all checks passed (${elapsed(started)} in all)`);
}

async function scenario(step, { page, port, workspace, extensionDir }) {
  await step('open the sample workspace in the workbench', async () => {
    await page.setViewportSize({ width: 1400, height: 900 });
    await page.goto(workbenchUrl(port, { workspace, extensionDevelopmentPath: extensionDir }));
    await waitForWorkbench(page, LOAD_MS);
    await openViewContainer(page, 'Multichat', LOAD_MS);
    await expectLocator(sideBarRow(page, DELETED), `the Sessions view does not list "${DELETED}"`, { timeoutMs: LOAD_MS });
  });

  await step('Delete Session from the context menu asks in a dialog', async () => {
    const question = dialog(page).locator('.dialog-message-text', { hasText: `Delete the session "${DELETED}"?` });
    await chooseFromContextMenu(page, sideBarRow(page, DELETED), 'Delete Session',
      { until: question, failure: 'Delete Session did not show its confirmation dialog', timeoutMs: UI_MS });
  });

  await step('clicking Delete in the dialog deletes the session', async () => {
    await dialogButton(page, 'Delete').first().click();
    await expectLocator(sideBarRow(page, DELETED), `"${DELETED}" is still listed after Delete`, { state: 'detached', timeoutMs: UI_MS });
    await expectLocator(sideBarRow(page, KEPT), `"${KEPT}" went missing`, { timeoutMs: UI_MS });
    await expectNoFailure(page);
  });

  await step('Switch Storage Backend: pick SQLite', async () => {
    await runCommand(page, 'Multichat: Switch Storage Backend…', { timeoutMs: UI_MS });
    await expectLocator(quickInput(page).locator('.monaco-list-row', { hasText: 'SQLite' }), 'the backend pick does not offer SQLite', { timeoutMs: UI_MS });
    await page.keyboard.type('SQLite', { delay: 15 });
    const focused = quickInput(page).locator('.monaco-list-row.focused .quick-input-list-label');
    await poll('the backend pick does not highlight SQLite', () => focused.innerText(), (text) => text.split('\n')[0].trim() === 'SQLite', { timeoutMs: UI_MS });
    await page.keyboard.press('Enter');
  });

  await step('its dialog asks whether to copy; Switch and Copy switches', async () => {
    await expectLocator(dialog(page).locator('.dialog-message-text', { hasText: 'to SQLite storage?' }), 'Switch Storage Backend did not show its dialog', { timeoutMs: UI_MS });
    await dialogButton(page, 'Switch and Copy').first().click();
    await expectLocator(toast(page, 'now keeps its sessions in SQLite storage'), 'no message says the folder now uses SQLite', { timeoutMs: LOAD_MS });
    await expectLocator(toast(page, 'moved aside to .multichat.replaced-by-sqlite-'), 'the message does not say where the old copy went', { timeoutMs: UI_MS });
    await expectNoFailure(page);
  });

  await step('the sessions are in SQLite, the old copy is kept aside, the view still lists them', async () => {
    if (!existsSync(join(workspace, '.multichat', 'sessions.sqlite'))) {
      throw new UiAssertion('there is no .multichat/sessions.sqlite after switching to SQLite');
    }
    if (!readdirSync(workspace).some((name) => name.startsWith('.multichat.replaced-by-sqlite-'))) {
      throw new UiAssertion('the old JSON copy was not moved aside');
    }
    await expectLocator(sideBarRow(page, KEPT), `"${KEPT}" is not listed after the switch`, { timeoutMs: UI_MS });
  });
}

/** No command failed on the way (the failure toast starts "Multichat could not"). */
async function expectNoFailure(page) {
  const failures = await toast(page, 'Multichat could not').allInnerTexts();
  if (failures.length > 0) {
    throw new UiAssertion(`a command failed: ${failures.join(' | ')}`);
  }
}

runUiScript('ui-dialogs', main, { verbose: options.verbose });

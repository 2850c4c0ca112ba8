// The UI test of sharing through the team's Redis: a redis-server of its own (with a password), the VS Code
// server started as `npm start` does (productServer.mjs), and a teammate, "ana", played by the CLI on a store of
// her own. Through real mouse and keyboard: the status bar says Redis is offline until the password is set from
// the command palette; the Shared view lists ana's sessions and marks the one she is writing in as live; opening
// it shows her new messages as they arrive; sharing a session holding a token asks first, and Redact keeps the
// token out of the team's copy. Ends with a screenshot for the README.
// Usage: node scripts/vscode-host/ui-sharing.mjs [OUT.png] [--timeout SECONDS] [--verbose]
// OUT.png defaults to .vscode-test/ui-sharing.png (`npm run screenshot:sharing` writes media/sharing.png). Exits 0
// only if every check passed (1 on a failed check, 124 on the overall timeout). Needs `npm run build`.
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { workbenchUrl } from './browser.mjs';
import { requireBuiltExtension } from './extensionDir.mjs';
import { withHost } from './hostSession.mjs';
import { ROOT } from './paths.mjs';
import { delay, elapsed } from './proc.mjs';
import { startProductServer } from './productServer.mjs';
import { startRedisForUi } from './redisForUi.mjs';
import { startAppender } from './sharingTeammate.mjs';
import { createStepRunner } from './uiSteps.mjs';
import { DEPLOY, LIVE, QUIET, TEAMMATE, TEAMMATE_SESSIONS, rolloutLine, seedSharingStores } from './uiSharingStore.mjs';
import { ignoreClosedPipes, runUiScript } from './uiScript.mjs';
import {
  UiAssertion,
  answerInputBox,
  chooseFromContextMenu,
  dialog,
  dialogButton,
  editorTab,
  expectLocator,
  openViewContainer,
  poll,
  quickInput,
  resizeSideBar,
  runCommand,
  statusBarItem,
  toast,
  viewRow,
  visibleWebview,
  waitForWorkbench,
} from './workbenchUi.mjs';

const { values: options, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    timeout: { type: 'string', default: '180' },
    verbose: { type: 'boolean', default: false },
  },
});

ignoreClosedPipes();

const VIEWPORT = { width: 1400, height: 900 };
const SIDE_BAR_WIDTH = 470; // the Shared view's descriptions ("ana · 1 min ago · 12 messages") in full
const LOAD_MS = 90_000;
const UI_MS = 30_000;
const LIVE_WITHIN_MS = 10_000;
const ARRIVES_WITHIN_MS = 5_000;
const STATUS_ITEM = 'multichat.multichat-sessions.multichat.sharing';

async function main() {
  const out = resolve(positionals[0] ?? '.vscode-test/ui-sharing.png');
  const timeoutMs = Number(options.timeout) * 1000;
  const started = Date.now();
  const extensionDir = requireBuiltExtension(ROOT);
  const redis = await startRedisForUi({ password: randomBytes(12).toString('base64url') });
  const namespace = `uisharing${randomBytes(4).toString('hex')}`;
  const settings = { 'multichat.redis.url': redis.url, 'multichat.redis.namespace': namespace };
  const seeded = {};
  const prepare = async (sandbox) => Object.assign(seeded, await seedSharingStores(sandbox, { redis, namespace }));
  try {
    await withHost({ timeoutMs, settings, prepare, startServer: startProductServer }, async ({ sandbox, port, page }) => {
      const runner = createStepRunner(page, sandbox, { prefix: 'ui-sharing' });
      const context = { page, port, workspace: sandbox.workspace, extensionDir, out, redis, ...seeded, appender: undefined };
      try {
        await runner.run(() => scenario(runner.step, context), Math.max(timeoutMs - 15_000, timeoutMs * 0.8));
      } finally {
        await context.appender?.stop();
      }
      console.log(`ui-sharing: step timings: ${runner.summary()}`);
    });
  } finally {
    await redis.stop();
  }
  console.log(`ui-sharing: all checks passed; screenshot saved to ${out} (${elapsed(started)} in all)`);
}

async function scenario(step, context) {
  const { page, port, workspace, extensionDir, out, redis, token, ana, local, liveId } = context;
  const status = statusBarItem(page, STATUS_ITEM);
  const statusText = async () => (await status.first().innerText()).trim();
  const chat = visibleWebview(page);
  const sharedRow = (title) => viewRow(page, 'Shared', title);
  const sessionsRow = (title) => viewRow(page, 'Sessions', title);
  const description = (row) => row.first().locator('.label-description').innerText();

  await step('open the workbench on a workspace set up for the team Redis', async () => {
    await page.setViewportSize(VIEWPORT);
    await page.goto(workbenchUrl(port, { workspace, extensionDevelopmentPath: extensionDir }));
    await waitForWorkbench(page, LOAD_MS);
  });

  await step('with no password yet, the status bar says Redis is offline, and a notification says why', async () => {
    await poll('the sharing status bar item does not say "Redis offline"', statusText, (text) => /^Redis offline\b/.test(text), { timeoutMs: LOAD_MS });
    await expectLocator(status.locator('.codicon-warning'), 'the offline status bar item shows no warning icon', { timeoutMs: UI_MS });
    const notice = toast(page, 'Multichat cannot reach the team Redis');
    await expectLocator(notice, 'no notification says why the team Redis cannot be reached', { timeoutMs: UI_MS });
    await expectLocator(notice.locator('.monaco-button', { hasText: 'Set Redis Password' }), 'the notification offers no "Set Redis Password"', { timeoutMs: UI_MS });
    const said = await notice.count();
    if (said !== 1) {
      throw new UiAssertion(`the unreachable Redis was notified ${said} times, not once`);
    }
  });

  await step('Set Redis Password… from the command palette takes it in a password box', async () => {
    await runCommand(page, 'Multichat: Set Redis Password…', { timeoutMs: UI_MS });
    await expectLocator(quickInput(page).locator('.quick-input-box input[type="password"]'), 'the Redis password box does not mask what is typed', { timeoutMs: UI_MS });
    await answerInputBox(page, 'Redis Password', redis.password, UI_MS);
  });

  await step('the status bar then says Redis, connected', async () => {
    await poll('the sharing status bar item does not say "Redis" (connected) after the password was set', statusText, (text) => text === 'Redis', { timeoutMs: LOAD_MS });
    await expectLocator(status.locator('.codicon-cloud'), 'the connected status bar item has no cloud icon', { timeoutMs: UI_MS });
  });

  await step(`the Shared view lists ${TEAMMATE}'s two sessions`, async () => {
    await openViewContainer(page, 'Multichat', LOAD_MS);
    await resizeSideBar(page, SIDE_BAR_WIDTH).catch((error) => process.stdout.write(`(could not widen the side bar: ${error.message}) `));
    for (const title of [LIVE, QUIET]) {
      await expectLocator(sharedRow(title), `the Shared view does not list ${TEAMMATE}'s "${title}"`, { timeoutMs: LOAD_MS });
      await poll(`the Shared row "${title}" does not describe "${TEAMMATE} · <when> · 3 messages"`, () => description(sharedRow(title)),
        (text) => new RegExp(`^${TEAMMATE} · .+ · 3 messages$`).test(text), { timeoutMs: UI_MS });
    }
  });

  await step(`${TEAMMATE} keeps writing in "${LIVE}": its row turns live, the other does not`, async () => {
    context.appender = startAppender(ana, liveId, rolloutLine);
    await expectLocator(sharedRow(LIVE).locator('.codicon-broadcast'), `the Shared row "${LIVE}" shows no live (broadcast) icon while ${TEAMMATE} writes in it`, { timeoutMs: LIVE_WITHIN_MS });
    if ((await sharedRow(QUIET).locator('.codicon-broadcast').count()) > 0) {
      throw new UiAssertion(`the Shared row "${QUIET}" is marked live though nobody writes in it`);
    }
  });

  await step('clicking the live row opens its chat tab with her messages', async () => {
    // Her newest message as the row is clicked (the tab opens at the newest messages, so not her first one).
    const newest = context.appender.latest()?.content ?? TEAMMATE_SESSIONS[LIVE].at(-1).content;
    await sharedRow(LIVE).first().click();
    await expectLocator(editorTab(page, LIVE), `no chat tab titled "${LIVE}" opened from the Shared view`, { timeoutMs: LOAD_MS });
    await expectLocator(userMessage(chat, newest), `the chat tab does not show ${TEAMMATE}'s "${newest}", written before it opened`, { timeoutMs: LOAD_MS });
    await poll(`${TEAMMATE}'s message is not headed by her name`, () => authorOf(chat, newest), (name) => name === TEAMMATE, { timeoutMs: UI_MS });
    await poll(`the Sessions view does not describe "${LIVE}" as followed`, () => description(sessionsRow(LIVE)), (text) => /\bfollowing\b/.test(text), { timeoutMs: UI_MS });
  });

  await step(`a message ${TEAMMATE} appends now shows in the tab within ${ARRIVES_WITHIN_MS / 1000}s`, async () => {
    const appended = await Promise.race([context.appender.next(), delay(UI_MS).then(() => undefined)]);
    if (!appended) {
      throw new UiAssertion(`${TEAMMATE}'s CLI did not finish an append within ${UI_MS / 1000}s`);
    }
    const left = Math.max(0, appended.doneAt + ARRIVES_WITHIN_MS - Date.now());
    await poll(`"${appended.content}", appended by ${TEAMMATE}, did not show in the open tab`, () => authorOf(chat, appended.content), (name) => name === TEAMMATE, { timeoutMs: left });
  });

  await step(`Share Session on "${DEPLOY}" asks first: it holds a token`, async () => {
    const question = dialog(page).locator('.dialog-message-text', { hasText: `“${DEPLOY}” holds what looks like a secret.` });
    await chooseFromContextMenu(page, sessionsRow(DEPLOY), 'Share Session', { until: question, failure: 'Share Session did not ask about the secret in a dialog', timeoutMs: UI_MS });
    for (const button of ['Redact', 'Share Anyway', 'Cancel']) {
      await expectLocator(dialogButton(page, button), `the secret dialog has no "${button}" button`, { timeoutMs: UI_MS });
    }
    if ((await dialog(page).innerText()).includes(token)) {
      throw new UiAssertion('the secret dialog shows the token itself');
    }
  });

  await step(`Redact shares it: ${TEAMMATE} gets a copy with a marker instead of the token, ours keeps it`, async () => {
    await dialogButton(page, 'Redact').first().click();
    await poll(`the Sessions view does not describe "${DEPLOY}" as shared`, () => description(sessionsRow(DEPLOY)), (text) => /\bshared\b/.test(text), { timeoutMs: UI_MS });
    const listed = await poll(`${TEAMMATE}'s CLI does not list "${DEPLOY}" among the shared sessions`,
      async () => JSON.parse(await ana(['list', '--shared', '--json'])).find((session) => session.title === DEPLOY), Boolean, { timeoutMs: UI_MS, intervalMs: 1_000 });
    await ana(['pull', listed.id]);
    const teamCopy = await ana(['show', listed.id]);
    if (!teamCopy.includes('[secret redacted:') || teamCopy.includes(token)) {
      throw new UiAssertion(`the team's copy of "${DEPLOY}" ${teamCopy.includes(token) ? 'holds the token' : 'has no "[secret redacted:" marker'}`);
    }
    if (!(await local(['show', listed.id])).includes(token)) {
      throw new UiAssertion(`the workspace's own copy of "${DEPLOY}" lost its token`);
    }
  });

  await step('save the screenshot: the Shared view with the live session, and its tab', async () => {
    await runCommand(page, 'Notifications: Clear All Notifications', { timeoutMs: UI_MS });
    await sharedRow(LIVE).first().locator('.codicon-broadcast').waitFor({ timeout: UI_MS });
    await chat.locator('#input').click(); // the focus in the tab, not on the row right-clicked before
    await page.mouse.move(VIEWPORT.width - 5, VIEWPORT.height / 2); // no hover tooltip over what the shot shows
    await poll('the live session\'s tab was not visible for the screenshot', () => chat.locator('#input').isVisible(), Boolean, { timeoutMs: UI_MS });
    mkdirSync(dirname(out), { recursive: true });
    await page.screenshot({ path: out });
  });

  await step(`every message ${TEAMMATE} wrote in the background arrived: the tab, both views count them all`, async () => {
    const { appender } = context;
    await appender.stop();
    if (appender.failures.length > 0) {
      throw new UiAssertion(`${appender.failures.length} of ${TEAMMATE}'s appends failed: ${appender.failures[0]}`);
    }
    const total = TEAMMATE_SESSIONS[LIVE].length + appender.count();
    await poll(`the Sessions view does not count the ${total} messages of "${LIVE}"`, () => description(sessionsRow(LIVE)), (text) => text.startsWith(`${total} messages ·`), { timeoutMs: UI_MS });
    await poll(`the Shared view does not count the ${total} messages of "${LIVE}"`, () => description(sharedRow(LIVE)), (text) => text.endsWith(` · ${total} messages`), { timeoutMs: UI_MS });
    await expectLocator(userMessage(chat, appender.latest().content), `the tab does not show ${TEAMMATE}'s last message`, { timeoutMs: UI_MS });
  });
}

/** The user message whose body holds `text`. */
const userMessage = (chat, text) => chat.locator('#messages article.message.role-user', { has: chat.locator('.message-body', { hasText: text }) });

/** Whose name heads the user message holding `text` (probe: throws while there is none). */
const authorOf = (chat, text) => userMessage(chat, text).first().locator('.message-header .role').innerText({ timeout: 1_000 });

runUiScript('ui-sharing', main, { verbose: options.verbose });

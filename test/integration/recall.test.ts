// The recall tool and @multichat in a real extension host: the tool through vscode.lm.invokeTool on a
// seeded store, the participant through its registered handler with a stand-in model and stream; then
// both with sessions a teammate shared through a real redis-server the suite starts, followed here.
//
// What a test can see of the tool's confirmation: invokeTool outside a chat request hands
// prepareInvocation's confirmationMessages to VS Code's dialog service, which in an extension test
// host (extensionTestsPath set) answers "confirmed" without showing a dialog, logging only a trace
// line to the workbench console. So a test cannot see the dialog nor decline it: it checks what the
// tool asked VS Code on this real path (the test API records each prepareInvocation's answer) and
// that what was confirmed is what the agent gets. Declining (VS Code then never calls invoke) cannot
// be reached here.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite, suiteSetup, suiteTeardown, test } from 'mocha';
import * as vscode from 'vscode';
import type { SessionStore } from '../../src/core/store';
import type { RecallTestApi } from '../../src/extension/recall/registerRecall';
import type { HybridSessionStore } from '../../src/stores/shared/hybridStore';
import { openHybridStore } from '../../src/stores/shared/openHybridStore';
import { RedisServer, startRedis } from '../helpers/redisServers';
import { EXTENSION_ID, activateMultichat } from './helpers/extension';
import { connectTeamRedis, disconnectTeamRedis } from './helpers/teamRedis';
import { waitFor } from './helpers/waitFor';

const WORD = `quagga${Date.now()}`;
const TOKEN = 'ghp_' + 'aB3dE5fG7hJ9kL1mN3pQ5rS7tV9wX1yZ3bC5'.slice(0, 36);
const TOOL = 'multichat_searchSessions';

let store: SessionStore;
let recall: RecallTestApi;
const created: string[] = [];

async function invoke(input: object, tokenBudget?: number): Promise<string> {
  const options = { input, toolInvocationToken: undefined, tokenizationOptions: tokenBudget ? { tokenBudget, countTokens: async (t: string) => t.length / 4 } : undefined };
  const result = await vscode.lm.invokeTool(TOOL, options, new vscode.CancellationTokenSource().token);
  return result.content.map((part) => (part instanceof vscode.LanguageModelTextPart ? part.value : '')).join('');
}

interface Reply {
  text: string;
  buttons: vscode.Command[];
}

function fakeStream(): { stream: vscode.ChatResponseStream; reply: Reply } {
  const parts: string[] = [];
  const reply: Reply = { text: '', buttons: [] };
  const stream = {
    markdown: (value: string | vscode.MarkdownString) => {
      parts.push(typeof value === 'string' ? value : value.value);
      reply.text = parts.join('');
    },
    button: (command: vscode.Command) => reply.buttons.push(command),
  };
  return { stream: stream as unknown as vscode.ChatResponseStream, reply };
}

function fakeModel(reply: string): { model: vscode.LanguageModelChat; sent: string[] } {
  const sent: string[] = [];
  const model = {
    maxInputTokens: 8000,
    sendRequest: async (messages: vscode.LanguageModelChatMessage[]) => {
      sent.push(...messages.map((m) => m.content.map((p) => (p instanceof vscode.LanguageModelTextPart ? p.value : '')).join('')));
      return { text: (async function* () { yield reply; })(), stream: (async function* () {})() };
    },
  };
  return { model: model as unknown as vscode.LanguageModelChat, sent };
}

async function ask(command: string | undefined, prompt: string, model = fakeModel('').model): Promise<Reply> {
  const { stream, reply } = fakeStream();
  const request = { prompt, command, references: [], toolReferences: [], model } as unknown as vscode.ChatRequest;
  await recall.chatHandler(request, { history: [] }, stream, new vscode.CancellationTokenSource().token);
  return reply;
}

suite('Recall for agents', function () {
  this.timeout(60_000);
  let first: string;
  let tagged: string;
  let secret: string;

  suiteSetup(async () => {
    const api = await activateMultichat();
    recall = api.recall;
    store = await api.chat.storeFor(vscode.workspace.workspaceFolders![0].uri.toString());
    const make = async (title: string, tags: string[], contents: string[]): Promise<string> => {
      const summary = await store.create({ title, tags, messages: contents.map((content) => ({ role: 'user' as const, content })) });
      created.push(summary.id);
      return summary.id;
    };
    first = await make('Recall parser crash', [], [`The ${WORD} parser crashes on empty input`, 'x'.repeat(30_000) + ` ${WORD}`]);
    tagged = await make('Recall tagged', ['recalltag'], [`${WORD} in a tagged session`]);
    secret = await make('Recall secret', [], [`${WORD} uses the token ${TOKEN} to push`]);
    await api.sessionsView.whenIdle();
  });

  suiteTeardown(async () => {
    for (const id of created) {
      await store.delete(id);
    }
  });

  test('the tool finds the seeded sessions, citing titles and ids, and never a secret', async () => {
    const text = await invoke({ query: WORD });
    for (const id of [first, tagged, secret]) {
      assert.match(text, new RegExp(`session id \`${id}\``));
    }
    assert.match(text, /"Recall parser crash"/);
    assert.ok(!text.includes(TOKEN), 'the token is redacted');
    assert.match(text, /\[secret redacted: /);
  });

  test('the tool applies filters and the budget', async () => {
    const text = await invoke({ query: WORD, tag: 'recalltag' });
    assert.match(text, new RegExp(tagged));
    assert.ok(!text.includes(first));
    assert.match(await invoke({ query: WORD, after: '2999-01-01' }), /No past session matches/);
    const read = await invoke({ sessionId: first }, 500);
    assert.ok(read.length <= 2000, `${read.length} characters for 500 tokens`);
    assert.match(read, /more characters\]/);
    const range = await invoke({ sessionId: first, fromMessage: 1, toMessage: 1 });
    assert.match(range, /Messages 1–1 of 2/);
  });

  test('the tool refuses bad input clearly', async () => {
    assert.match(await invoke({ query: WORD, after: 'last week' }), /Invalid input.*"after" must be a day/);
    assert.match(await invoke({ sessionId: 'no-such-session' }), /No session with id "no-such-session"/);
  });

  test('@multichat /search lists sessions as links that open them', async () => {
    const { text } = await ask('search', WORD);
    const link = `command:multichat.openSession?${encodeURIComponent(JSON.stringify([{ folder: vscode.workspace.workspaceFolders![0].uri.toString(), sessionId: first }]))}`;
    assert.ok(text.includes(`[Recall parser crash](${link})`), text);
  });

  test('@multichat /recall hands the model the past messages and cites the sessions', async () => {
    const { model, sent } = fakeModel('It crashes on empty input.');
    const { text } = await ask('recall', `why does the ${WORD} parser crash?`, model);
    assert.match(sent.join('\n'), /parser crashes on empty input/);
    assert.ok(!sent.join('\n').includes(TOKEN));
    assert.match(text, /It crashes on empty input\.[\s\S]*Sessions used:[\s\S]*Recall parser crash/);
  });
});

suite("Recall with teammates' sessions", function () {
  this.timeout(120_000);
  const PASSWORD = 'recall-team-pw';
  const NAMESPACE = `recalltest${process.pid}`;
  const SHARED_WORD = `wombat${Date.now()}`;
  const OWN_ONLY = `dingo${Date.now()}`;
  const THEIRS_ONLY = `numbat${Date.now()}`;
  const QUESTION = `where does the ${SHARED_WORD} cache live?`;
  let server: RedisServer;
  let teammate: HybridSessionStore;
  let teammateDir: string;
  let local: SessionStore;
  let own: string;
  let theirs: string;
  const followed: string[] = [];

  /** A session the teammate writes and shares (secrets and all), followed here as opening it does. */
  async function shareFromTeammate(title: string, content: string): Promise<string> {
    const { id } = await teammate.create({ title, messages: [{ role: 'user', content }] });
    assert.deepEqual(await teammate.sharing.share(id, 'allow'), { shared: true });
    await teammate.sharing.sync();
    await vscode.commands.executeCommand('multichat.openSharedSession', id);
    followed.push(id);
    return id;
  }

  const messageOf = (prepared: vscode.PreparedToolInvocation) => {
    const message = prepared.confirmationMessages?.message;
    return typeof message === 'string' ? message : (message?.value ?? '');
  };

  suiteSetup(async () => {
    const api = await activateMultichat();
    recall = api.recall;
    server = await startRedis({ password: PASSWORD });
    await connectTeamRedis(api.sharing, { port: server.port, namespace: NAMESPACE, password: PASSWORD });
    local = await api.chat.storeFor(vscode.workspace.workspaceFolders![0].uri.toString());
    own = (await local.create({ title: 'My wombat cache notes', messages: [{ role: 'user', content: `The ${SHARED_WORD} cache lives in memory, says ${OWN_ONLY}` }] })).id;
    teammateDir = mkdtempSync(join(tmpdir(), 'multichat-recall-teammate-'));
    teammate = await openHybridStore(`json:${teammateDir}`, `redis://:${PASSWORD}@127.0.0.1:${server.port}?prefix=${NAMESPACE}`, { retry: true, author: 'ana' });
    await teammate.sharing.connect();
    theirs = await shareFromTeammate("Ana's wombat cache", `The ${SHARED_WORD} cache lives in Redis; ana pushes it with ${TOKEN}`);
    await shareFromTeammate("Ana's numbats", `${THEIRS_ONLY} turn up only in ana's session`);
    for (const word of [SHARED_WORD, THEIRS_ONLY]) {
      await waitFor(`the followed session with "${word}"`, () => ask('search', word), (reply) => reply.text.includes('shared by a teammate'), 20_000);
    }
  });

  suiteTeardown(async () => {
    for (const id of [own, ...followed]) {
      await local?.delete(id);
    }
    await teammate?.close();
    await disconnectTeamRedis();
    await server?.stop();
    rmSync(teammateDir, { recursive: true, force: true });
  });

  test("invokeTool asks VS Code to confirm teammates' sessions, and the agent gets what was confirmed", async () => {
    const before = recall.toolPreparations.length;
    const text = await invoke({ query: SHARED_WORD });
    const asked = recall.toolPreparations.slice(before);
    assert.equal(asked.length, 1, 'VS Code prepared the invocation before invoking it');
    assert.equal(asked[0].confirmationMessages?.title, "Share teammates' sessions with the agent?");
    assert.match(messageOf(asked[0]), new RegExp(`1 session shared by teammates through Redis: "Ana's wombat cache" \\(${theirs}\\)`));
    assert.doesNotMatch(messageOf(asked[0]), /My wombat cache notes/, "the user's own session needs no confirmation");
    assert.match(text, new RegExp(`session id \`${theirs}\`;[^)]*shared by a teammate`), "the confirmed teammate's session reaches the agent");
    assert.match(text, new RegExp(`session id \`${own}\``));
    assert.ok(!text.includes(TOKEN), "the teammate's token is redacted");

    const read = await invoke({ sessionId: theirs });
    assert.match(messageOf(recall.toolPreparations.at(-1)!), new RegExp(theirs), 'reading a teammate\'s session is asked too');
    assert.match(read, /lives in Redis/);
  });

  test("invokeTool asks nothing when only the user's own sessions match", async () => {
    const before = recall.toolPreparations.length;
    assert.match(await invoke({ query: OWN_ONLY }), new RegExp(`session id \`${own}\``));
    const asked = recall.toolPreparations.slice(before);
    assert.equal(asked.length, 1);
    assert.equal(asked[0].confirmationMessages, undefined);
  });

  test("@multichat /recall answers from the user's own sessions and offers to include the teammates'", async () => {
    const { model, sent } = fakeModel('From your notes: in memory.');
    const { text, buttons } = await ask('recall', QUESTION, model);
    const prompt = sent.join('\n');
    assert.match(prompt, /cache lives in memory/);
    assert.ok(!prompt.includes('lives in Redis') && !prompt.includes("Ana's wombat cache"), `nothing of the teammate's session reaches the model: ${prompt}`);
    assert.match(text, /1 session shared by a teammate also matches; this answer is from your own sessions only\. Nothing of it goes to the model unless you include it/);
    assert.ok(text.includes("[Ana's wombat cache]("), 'the left-out session is named, as a link for the user');
    const used = text.slice(text.indexOf('Sessions used:'));
    assert.match(used, /My wombat cache notes/);
    assert.doesNotMatch(used, /Ana's wombat cache/);
    assert.equal(buttons.length, 1);
    assert.equal(buttons[0].command, 'workbench.action.chat.open');
    assert.deepEqual(buttons[0].arguments, [{ query: `@multichat /recallWithTeam ${QUESTION}` }]);
  });

  test("the button asks again through /recallWithTeam, which hands the model the teammates' sessions, secrets redacted", async () => {
    const { buttons } = await ask('recall', QUESTION);
    const [, participant, command, prompt] = /^@(\w+) \/(\w+) (.*)$/s.exec((buttons[0].arguments?.[0] as { query: string }).query)!;
    const contributed = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON.contributes.chatParticipants as { name: string; commands: { name: string }[] }[];
    assert.ok(contributed.some((each) => each.name === participant && each.commands.some((c) => c.name === command)), `@${participant} /${command} is contributed`);
    const { model, sent } = fakeModel('Ana keeps it in Redis; you keep it in memory.');
    const reply = await ask(command, prompt, model);
    const sentText = sent.join('\n');
    assert.match(sentText, /cache lives in Redis/);
    assert.match(sentText, /cache lives in memory/);
    assert.ok(!sentText.includes(TOKEN), 'the secret scan still redacts before anything goes to the model');
    assert.match(sentText, /\[secret redacted: /);
    assert.match(reply.text.slice(reply.text.indexOf('Sessions used:')), /Ana's wombat cache.*shared by a teammate/);
    assert.deepEqual(reply.buttons, []);
  });

  test('when only teammates\' sessions match, nothing goes to the model until the user includes them', async () => {
    const { model, sent } = fakeModel('should not be asked');
    const { text, buttons } = await ask(undefined, `what about ${THEIRS_ONLY}?`, model);
    assert.deepEqual(sent, []);
    assert.match(text, /Only 1 session shared by a teammate has anything on that\. Nothing of it goes to the model unless you include it/);
    assert.doesNotMatch(text, /Sessions used/);
    assert.equal(buttons.length, 1);
  });
});

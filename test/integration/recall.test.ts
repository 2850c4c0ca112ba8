// The recall tool and @multichat in a real extension host: the tool through vscode.lm.invokeTool on a
// seeded store, the participant through its registered handler with a stand-in model and stream.
// (invokeTool shows prepareInvocation's confirmation as a modal dialog, which a test cannot answer:
// which sessions need one is tested as the pure sharedConfirmation in test/recall.test.ts.)
import assert from 'node:assert/strict';
import { suite, suiteSetup, suiteTeardown, test } from 'mocha';
import * as vscode from 'vscode';
import type { SessionStore } from '../../src/core/store';
import type { RecallTestApi } from '../../src/extension/recall/registerRecall';
import { activateMultichat } from './helpers/extension';

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

function fakeStream(): { stream: vscode.ChatResponseStream; text: () => string } {
  const parts: string[] = [];
  const stream = { markdown: (value: string | vscode.MarkdownString) => parts.push(typeof value === 'string' ? value : value.value) };
  return { stream: stream as unknown as vscode.ChatResponseStream, text: () => parts.join('') };
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

async function ask(command: string | undefined, prompt: string, model = fakeModel('').model): Promise<string> {
  const { stream, text } = fakeStream();
  const request = { prompt, command, references: [], toolReferences: [], model } as unknown as vscode.ChatRequest;
  await recall.chatHandler(request, { history: [] }, stream, new vscode.CancellationTokenSource().token);
  return text();
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
    const text = await ask('search', WORD);
    const link = `command:multichat.openSession?${encodeURIComponent(JSON.stringify([{ folder: vscode.workspace.workspaceFolders![0].uri.toString(), sessionId: first }]))}`;
    assert.ok(text.includes(`[Recall parser crash](${link})`), text);
  });

  test('@multichat /recall hands the model the past messages and cites the sessions', async () => {
    const { model, sent } = fakeModel('It crashes on empty input.');
    const text = await ask('recall', `why does the ${WORD} parser crash?`, model);
    assert.match(sent.join('\n'), /parser crashes on empty input/);
    assert.ok(!sent.join('\n').includes(TOKEN));
    assert.match(text, /It crashes on empty input\.[\s\S]*Sessions used:[\s\S]*Recall parser crash/);
  });
});

import * as vscode from 'vscode';
import { describeError } from '../../core/errors';
import { DisposableObject } from '../lifecycle';
import { CancelSignal, ChatModelHandle, ChatResponder, responderModel } from './modelHandle';
import { ChatTurn } from './conversation';

export const MODEL_SETTING = 'multichat.chat.model';

const JUSTIFICATION = 'Multichat sends the messages of this chat session to the model to get its reply.';

/**
 * The language models a chat tab can use: every `vscode.lm` chat model (the production path).
 * A test responder, when one is installed, is offered only while vscode.lm has no model at all.
 */
export class LanguageModels extends DisposableObject {
  private readonly _onDidChange = this._register(new vscode.EventEmitter<void>());
  /** Fires when models come or go, or the `multichat.chat.model` setting changes. */
  readonly onDidChange = this._onDidChange.event;
  private testResponder: ChatResponder | undefined;

  constructor() {
    super();
    this._register(vscode.lm.onDidChangeChatModels(() => this._onDidChange.fire()));
    this._register(
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration(MODEL_SETTING)) {
          this._onDidChange.fire();
        }
      }),
    );
  }

  async list(): Promise<ChatModelHandle[]> {
    const models = await vscode.lm.selectChatModels();
    if (models.length > 0) {
      return models.map(lmModel);
    }
    return this.testResponder ? [responderModel(this.testResponder)] : [];
  }

  /** The `multichat.chat.model` setting: a model id or family, or '' for the first available. */
  preferred(): string {
    return vscode.workspace.getConfiguration().get<string>(MODEL_SETTING, '');
  }

  setTestResponder(responder: ChatResponder | undefined): void {
    this.testResponder = responder;
    this._onDidChange.fire();
  }
}

function lmModel(model: vscode.LanguageModelChat): ChatModelHandle {
  return {
    id: model.id,
    family: model.family,
    label: model.name || model.id,
    request: async (turns, signal) => {
      const messages = turns.map(toLanguageModelMessage);
      const response = await model.sendRequest(messages, { justification: JUSTIFICATION }, toCancellationToken(signal));
      return response.text;
    },
  };
}

function toLanguageModelMessage(turn: ChatTurn): vscode.LanguageModelChatMessage {
  return turn.role === 'user'
    ? vscode.LanguageModelChatMessage.User(turn.content)
    : vscode.LanguageModelChatMessage.Assistant(turn.content);
}

function toCancellationToken(signal: CancelSignal): vscode.CancellationToken {
  const source = new vscode.CancellationTokenSource();
  if (signal.isCancellationRequested) {
    source.cancel();
  } else {
    signal.onCancellationRequested(() => source.cancel());
  }
  return source.token;
}

/** LanguageModelError codes in plain words; anything else by its own message. */
export function describeModelError(error: unknown): string {
  if (!(error instanceof vscode.LanguageModelError)) {
    return describeError(error);
  }
  switch (error.code) {
    case 'NoPermissions':
      return 'Multichat may not use this model yet; allow it when VS Code asks, then send again.';
    case 'Blocked':
      return 'the request was blocked (for example by a rate limit or content policy).';
    case 'NotFound':
      return 'the selected model is no longer available; pick another one.';
    default:
      return describeError(error);
  }
}

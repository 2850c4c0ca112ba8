import { sessionNotFound } from '../../core/errors';
import { Message } from '../../core/model';
import { SessionStore } from '../../core/store';
import { ChatMessageView, Notice } from '../../webview/shared/protocol';
import { asSentence, errorSentence } from '../plainText';
import { CancelSignal, ChatModelHandle } from './modelHandle';
import { toChatTurns } from './conversation';
import { recordReply } from './replyRecorder';
import { Timers } from './throttledWriter';

// One exchange: the user's message is stored first (so no model failure can lose it), then the
// model's reply is streamed and persisted. A retry asks for the reply to the user message already
// stored, storing nothing new for the user. Pure of vscode so it is unit-tested with the memory store.

/** What a reply needs: the session, the model and where the reply goes. */
export interface ReplyOptions {
  store: SessionStore;
  sessionId: string;
  /** Undefined when no language model is available. */
  model: ChatModelHandle | undefined;
  signal: CancelSignal;
  onProgress: (message: ChatMessageView) => void;
  onPersistError: (error: unknown) => void;
  intervalMs?: number;
  timers?: Timers;
}

export interface ChatTurnOptions extends ReplyOptions {
  text: string;
  onUserMessageSaved: (message: Message) => void;
}

/** 'failed': the model failed; 'unsaved': the store could not save its reply (a full disk). */
export type TurnOutcome =
  | { kind: 'completed' | 'no-model' | 'empty' }
  | { kind: 'stopped'; partial: boolean }
  | { kind: 'failed' | 'unsaved'; error: unknown; partial: boolean };

export async function runChatTurn(options: ChatTurnOptions): Promise<TurnOutcome> {
  const { text, onUserMessageSaved, ...reply } = options;
  const [userMessage] = await options.store.appendMessages(options.sessionId, [{ role: 'user', content: text }]);
  onUserMessageSaved(userMessage);
  return replyToLastMessage(reply);
}

/** Runs the turn again for the session's last message, a user message with no reply yet (after "no model"). */
export async function retryChatTurn(options: ReplyOptions): Promise<TurnOutcome> {
  const session = await options.store.get(options.sessionId);
  if (!session) {
    throw sessionNotFound(options.sessionId);
  }
  if (!hasUnansweredMessage(session.messages)) {
    throw new Error('there is no unanswered message to retry: the last message in the session is not yours');
  }
  return replyToLastMessage(options);
}

/** True when the session ends with a user message that got no reply: what Retry answers. */
export function hasUnansweredMessage(messages: readonly Message[]): boolean {
  return messages.at(-1)?.role === 'user';
}

async function replyToLastMessage(options: ReplyOptions): Promise<TurnOutcome> {
  const { store, sessionId, model, signal } = options;
  if (!model) {
    return { kind: 'no-model' };
  }
  const session = await store.get(sessionId);
  if (!session) {
    throw sessionNotFound(sessionId);
  }
  let fragments: AsyncIterable<string>;
  try {
    fragments = await model.request(toChatTurns(session.messages), signal);
  } catch (error) {
    return signal.isCancellationRequested ? { kind: 'stopped', partial: false } : { kind: 'failed', error, partial: false };
  }
  const reply = await recordReply({
    ...options,
    model: model.id,
    fragments,
    isCancelled: () => signal.isCancellationRequested,
  });
  const partial = reply.message !== undefined;
  if (reply.status === 'completed') {
    return partial ? { kind: 'completed' } : { kind: 'empty' };
  }
  return reply.status === 'stopped' ? { kind: 'stopped', partial } : { kind: reply.status, error: reply.error, partial };
}

export const NO_MODEL_NOTICE =
  'No language model is installed, so there is no reply. Your message is saved. ' +
  'Install a chat model extension (for example GitHub Copilot Chat), then choose Retry.';

/** What the tab tells the user after a turn; undefined when the reply speaks for itself. */
export function noticeForOutcome(outcome: TurnOutcome, describe: (error: unknown) => string): Notice | undefined {
  switch (outcome.kind) {
    case 'completed':
      return undefined;
    case 'no-model':
      return { kind: 'warning', text: NO_MODEL_NOTICE, retry: true };
    case 'empty':
      return { kind: 'info', text: 'The language model sent an empty reply.' };
    case 'stopped':
      return {
        kind: 'info',
        text: outcome.partial ? 'Stopped. The partial reply is kept, marked incomplete.' : 'Stopped before the model replied.',
      };
    case 'failed':
      return failedNotice(outcome.error, outcome.partial, describe);
    case 'unsaved': {
      // The store's words (the file and the cause), not the model's: the model did its part.
      const kept = outcome.partial ? ' The part of the reply saved before is kept, marked incomplete.' : '';
      return { kind: 'error', text: `The reply could not be saved: ${errorSentence(outcome.error)} Your message is saved.${kept}` };
    }
  }
}

function failedNotice(error: unknown, partial: boolean, describe: (error: unknown) => string): Notice {
  const kept = partial ? ' The partial reply is kept, marked incomplete.' : '';
  const text = `The language model failed: ${asSentence(describe(error))} Your message is saved.${kept}`;
  // A partial reply answers the message already: Retry would then ask twice.
  return partial ? { kind: 'error', text } : { kind: 'error', text, retry: true };
}

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
// model's reply is streamed and persisted. Pure of vscode so it is unit-tested with the memory store.

export interface ChatTurnOptions {
  store: SessionStore;
  sessionId: string;
  text: string;
  /** Undefined when no language model is available. */
  model: ChatModelHandle | undefined;
  signal: CancelSignal;
  onUserMessageSaved: (message: Message) => void;
  onProgress: (message: ChatMessageView) => void;
  onPersistError: (error: unknown) => void;
  intervalMs?: number;
  timers?: Timers;
}

/** 'failed': the model failed; 'unsaved': the store could not save its reply (a full disk). */
export type TurnOutcome =
  | { kind: 'completed' | 'no-model' | 'empty' }
  | { kind: 'stopped'; partial: boolean }
  | { kind: 'failed' | 'unsaved'; error: unknown; partial: boolean };

export async function runChatTurn(options: ChatTurnOptions): Promise<TurnOutcome> {
  const { store, sessionId, model, signal } = options;
  const [userMessage] = await store.appendMessages(sessionId, [{ role: 'user', content: options.text }]);
  options.onUserMessageSaved(userMessage);
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
  'Install a chat model extension (for example GitHub Copilot Chat), then send again.';

/** What the tab tells the user after a turn; undefined when the reply speaks for itself. */
export function noticeForOutcome(outcome: TurnOutcome, describe: (error: unknown) => string): Notice | undefined {
  switch (outcome.kind) {
    case 'completed':
      return undefined;
    case 'no-model':
      return { kind: 'warning', text: NO_MODEL_NOTICE };
    case 'empty':
      return { kind: 'info', text: 'The language model sent an empty reply.' };
    case 'stopped':
      return {
        kind: 'info',
        text: outcome.partial ? 'Stopped. The partial reply is kept, marked incomplete.' : 'Stopped before the model replied.',
      };
    case 'failed': {
      const kept = outcome.partial ? ' The partial reply is kept, marked incomplete.' : '';
      return { kind: 'error', text: `The language model failed: ${asSentence(describe(outcome.error))} Your message is saved.${kept}` };
    }
    case 'unsaved': {
      // The store's words (the file and the cause), not the model's: the model did its part.
      const kept = outcome.partial ? ' The part of the reply saved before is kept, marked incomplete.' : '';
      return { kind: 'error', text: `The reply could not be saved: ${errorSentence(outcome.error)} Your message is saved.${kept}` };
    }
  }
}

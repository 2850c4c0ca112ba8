import { Message } from '../../core/model';
import { ChatMessageView } from '../../webview/shared/protocol';

/** One turn of the conversation sent to a language model. */
export interface ChatTurn {
  role: 'user' | 'assistant';
  content: string;
}

/**
 * The stored conversation as language-model turns. The stable vscode.lm API has no system role,
 * so system messages go as user turns, labelled; empty messages (a reply that never got a
 * fragment) carry nothing and are left out.
 */
export function toChatTurns(messages: readonly Message[]): ChatTurn[] {
  return messages
    .filter((message) => message.content.trim().length > 0)
    .map((message) => {
      if (message.role === 'system') {
        return { role: 'user', content: `[System instructions]\n${message.content}` };
      }
      return { role: message.role, content: message.content };
    });
}

/** What the tab shows: the stored messages, with the reply being streamed shown as it is now. */
export function toMessageViews(messages: readonly Message[], live?: ChatMessageView): ChatMessageView[] {
  const views: ChatMessageView[] = messages.map((message) => ({ ...message }));
  if (!live) {
    return views;
  }
  const index = views.findIndex((view) => view.id === live.id);
  if (index >= 0) {
    views[index] = live;
  } else {
    views.push(live);
  }
  return views;
}

import { RenderMarkdown } from '../shared/chatMarkdown';
import { ChatMessageView } from '../shared/protocol';

// One message as an element: its header (who, model, incomplete badge, time) and its rendered body.

const ROLE_LABELS: Record<ChatMessageView['role'], string> = { user: 'You', assistant: 'Assistant', system: 'System' };

/** What a message's element depends on: equal signatures mean the element can be reused. */
export function messageSignature(message: ChatMessageView): string {
  return JSON.stringify([message.content, message.incomplete, message.streaming, message.model, message.author]);
}

export function buildMessageElement(message: ChatMessageView, render: RenderMarkdown): HTMLElement {
  const article = document.createElement('article');
  article.className = `message role-${message.role}`;
  article.classList.toggle('streaming', message.streaming === true);
  article.dataset.id = message.id;
  const body = document.createElement('div');
  body.className = 'message-body markdown';
  // Safe: the renderer escapes raw HTML and drops unsafe links (see shared/chatMarkdown.ts).
  body.innerHTML = render(message.content);
  article.append(header(message), body);
  return article;
}

export function emptyState(): HTMLElement {
  const element = document.createElement('p');
  element.className = 'empty';
  element.textContent = 'No messages yet. Ask something below.';
  return element;
}

function header(message: ChatMessageView): HTMLElement {
  const element = document.createElement('header');
  element.className = 'message-header';
  // Who wrote it: a person's name for their own messages; a reply says whose editor asked for it.
  const person = message.role === 'user' ? message.author : undefined;
  element.append(span('role', person ?? ROLE_LABELS[message.role]));
  if (message.author && message.role !== 'user') {
    const via = span('author', message.author);
    via.title = `Written in ${message.author}'s editor`;
    element.append(via);
  }
  if (message.model) {
    element.append(span('model', message.model));
  }
  if (message.incomplete && !message.streaming) {
    const badge = span('badge incomplete', 'incomplete');
    badge.title = 'This reply did not finish (stopped, failed, or the window closed while it arrived).';
    element.append(badge);
  }
  const time = document.createElement('time');
  time.dateTime = message.createdAt;
  time.textContent = new Date(message.createdAt).toLocaleString();
  element.append(time);
  return element;
}

function span(className: string, text: string): HTMLElement {
  const element = document.createElement('span');
  element.className = className;
  element.textContent = text;
  return element;
}

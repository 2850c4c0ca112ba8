import { RenderMarkdown } from '../shared/chatMarkdown';
import { ChatMessageView } from '../shared/protocol';

const ROLE_LABELS: Record<ChatMessageView['role'], string> = { user: 'You', assistant: 'Assistant', system: 'System' };
const NEAR_BOTTOM_PX = 40;

/**
 * The conversation, newest at the bottom. Messages are keyed by id and re-rendered only when
 * they change, so a refresh while a reply streams stays cheap and keeps the scroll position.
 */
export class MessageList {
  private readonly signatures = new WeakMap<Element, string>();
  private pendingReveal: string | undefined;

  constructor(
    private readonly container: HTMLElement,
    private readonly render: RenderMarkdown,
  ) {}

  show(messages: readonly ChatMessageView[]): void {
    const stick = this.isNearBottom();
    const scrollTop = this.container.scrollTop;
    const existing = new Map<string, HTMLElement>();
    for (const element of this.container.querySelectorAll<HTMLElement>('article.message')) {
      existing.set(element.dataset.id ?? '', element);
    }
    this.container.replaceChildren(...messages.map((message) => this.elementFor(message, existing.get(message.id))));
    if (messages.length === 0) {
      this.container.append(emptyState());
    }
    this.container.scrollTop = scrollTop;
    this.afterChange(stick);
  }

  /** Updates (or adds) one message, e.g. a reply as it streams in. */
  update(message: ChatMessageView): void {
    const stick = this.isNearBottom();
    const current = this.find(message.id);
    const element = this.elementFor(message, current);
    if (!current) {
      this.container.querySelector('.empty')?.remove();
      this.container.append(element);
    } else if (current !== element) {
      current.replaceWith(element);
    }
    this.afterChange(stick);
  }

  /** Scrolls to and highlights a message as soon as it is rendered. */
  reveal(messageId: string): void {
    this.pendingReveal = messageId;
    this.flushReveal();
  }

  highlightedId(): string {
    return this.container.querySelector<HTMLElement>('article.highlight')?.dataset.id ?? '';
  }

  private elementFor(message: ChatMessageView, current: HTMLElement | undefined): HTMLElement {
    const signature = JSON.stringify([message.content, message.incomplete, message.streaming, message.model, message.author]);
    if (current && this.signatures.get(current) === signature) {
      return current;
    }
    const element = this.build(message);
    if (current?.classList.contains('highlight')) {
      element.classList.add('highlight');
    }
    this.signatures.set(element, signature);
    return element;
  }

  private build(message: ChatMessageView): HTMLElement {
    const article = document.createElement('article');
    article.className = `message role-${message.role}`;
    article.classList.toggle('streaming', message.streaming === true);
    article.dataset.id = message.id;
    const body = document.createElement('div');
    body.className = 'message-body markdown';
    // Safe: the renderer escapes raw HTML and drops unsafe links (see shared/markdown.ts).
    body.innerHTML = this.render(message.content);
    article.append(header(message), body);
    return article;
  }

  private afterChange(stickToBottom: boolean): void {
    if (stickToBottom) {
      this.container.scrollTop = this.container.scrollHeight;
    }
    this.flushReveal();
  }

  private flushReveal(): void {
    const target = this.pendingReveal === undefined ? undefined : this.find(this.pendingReveal);
    if (!target) {
      return;
    }
    this.pendingReveal = undefined;
    this.container.querySelectorAll('article.highlight').forEach((element) => element.classList.remove('highlight'));
    target.classList.add('highlight');
    target.scrollIntoView({ block: 'center' });
  }

  private find(id: string): HTMLElement | undefined {
    return [...this.container.querySelectorAll<HTMLElement>('article.message')].find((element) => element.dataset.id === id);
  }

  private isNearBottom(): boolean {
    const { scrollTop, scrollHeight, clientHeight } = this.container;
    return scrollHeight - scrollTop - clientHeight < NEAR_BOTTOM_PX;
  }
}

function header(message: ChatMessageView): HTMLElement {
  const element = document.createElement('header');
  element.className = 'message-header';
  element.append(span('role', message.author ?? ROLE_LABELS[message.role]));
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

function emptyState(): HTMLElement {
  const element = document.createElement('p');
  element.className = 'empty';
  element.textContent = 'No messages yet. Ask something below.';
  return element;
}

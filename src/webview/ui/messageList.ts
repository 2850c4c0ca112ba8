import { RenderMarkdown } from '../shared/chatMarkdown';
import { ChatMessageView } from '../shared/protocol';
import { olderStart, windowStart } from '../shared/renderWindow';
import { buildMessageElement, emptyState, messageSignature } from './messageView';
import { RevealHighlight } from './revealHighlight';

const NEAR_BOTTOM_PX = 40;
/** Older messages are rendered once the user scrolls this close to the top of what is rendered. */
const LOAD_OLDER_MARGIN_PX = 600;

/**
 * The conversation, newest at the bottom. Only the newest messages are rendered at first; older ones
 * are rendered in batches as the user scrolls up (or presses "Show older messages"), keeping what is on
 * screen where it was. Messages are keyed by id and re-rendered only when they change, so a refresh
 * while a reply streams stays cheap and keeps the scroll position.
 */
export class MessageList {
  private messages: ChatMessageView[] = [];
  /** Index in `messages` of the oldest rendered message. */
  private start = 0;
  private readonly rendered = new Map<string, HTMLElement>();
  private readonly signatures = new WeakMap<Element, string>();
  private readonly olderButton: HTMLButtonElement;
  private readonly highlight: RevealHighlight;
  private pendingReveal: string | undefined;
  private olderScheduled = false;

  constructor(
    private readonly container: HTMLElement,
    private readonly render: RenderMarkdown,
  ) {
    this.highlight = new RevealHighlight(container);
    this.olderButton = document.createElement('button');
    this.olderButton.type = 'button';
    this.olderButton.className = 'secondary show-older';
    this.olderButton.addEventListener('click', () => this.renderOlder());
    container.addEventListener('scroll', () => this.scheduleOlderIfNearTop(), { passive: true });
    new ResizeObserver(() => this.scheduleOlderIfNearTop()).observe(container);
  }

  show(messages: readonly ChatMessageView[]): void {
    const stick = this.isNearBottom();
    const scrollTop = this.container.scrollTop;
    const previous = { oldestId: this.messages[this.start]?.id, count: this.rendered.size };
    this.messages = [...messages];
    this.start = windowStart(this.messages.map((message) => message.id), previous);
    const elements = this.messages.slice(this.start).map((message) => this.elementFor(message));
    this.rendered.clear();
    elements.forEach((element) => this.rendered.set(element.dataset.id ?? '', element));
    this.container.replaceChildren(this.olderButton, ...elements);
    if (messages.length === 0) {
      this.container.append(emptyState());
    }
    this.updateOlderButton();
    this.container.scrollTop = scrollTop;
    this.afterChange(stick);
  }

  /** Updates (or adds) one message, e.g. a reply as it streams in. */
  update(message: ChatMessageView): void {
    const stick = this.isNearBottom();
    const index = this.indexOf(message.id);
    if (index === -1) {
      this.messages.push(message);
      this.container.querySelector('.empty')?.remove();
      this.container.append(this.renderedElement(message));
    } else {
      this.messages[index] = message;
      const current = this.rendered.get(message.id);
      const element = index >= this.start ? this.renderedElement(message) : undefined;
      if (current && element && current !== element) {
        current.replaceWith(element);
      }
    }
    this.afterChange(stick);
  }

  /** Scrolls to and highlights a message as soon as it is known, rendering older messages down to it. */
  reveal(messageId: string): void {
    this.pendingReveal = messageId;
    this.flushReveal();
  }

  highlightedId(): string {
    return this.highlight.highlightedId();
  }

  /** The ids of the rendered messages that are (at least partly) in view. */
  visibleIds(): string[] {
    const view = this.container.getBoundingClientRect();
    return [...this.rendered.values()]
      .filter((element) => {
        const box = element.getBoundingClientRect();
        return box.bottom > view.top && box.top < view.bottom && box.height > 0;
      })
      .map((element) => element.dataset.id ?? '');
  }

  /** The element for `message`, reusing the current one if it has not changed. */
  private elementFor(message: ChatMessageView): HTMLElement {
    const current = this.rendered.get(message.id);
    const signature = messageSignature(message);
    if (current && this.signatures.get(current) === signature) {
      return current;
    }
    const element = buildMessageElement(message, this.render);
    this.highlight.carryOver(current, element);
    this.signatures.set(element, signature);
    return element;
  }

  private renderedElement(message: ChatMessageView): HTMLElement {
    const element = this.elementFor(message);
    this.rendered.set(message.id, element);
    return element;
  }

  /** Renders a batch of older messages above the rendered ones (down to index `until`), keeping the view still. */
  private renderOlder(until?: number): void {
    if (this.start === 0) {
      return;
    }
    const start = olderStart(this.start, until);
    const elements = this.messages.slice(start, this.start).map((message) => this.renderedElement(message));
    const { scrollHeight, scrollTop } = this.container;
    this.olderButton.after(...elements);
    this.start = start;
    this.updateOlderButton();
    // What was on screen moved down by what was added above it: scroll by as much, so it stays put.
    this.container.scrollTop = scrollTop + (this.container.scrollHeight - scrollHeight);
  }

  /** Once a frame at most: renders older messages while the user is near the top (or nothing fills the view yet). */
  private scheduleOlderIfNearTop(): void {
    if (this.olderScheduled || this.start === 0) {
      return;
    }
    this.olderScheduled = true;
    requestAnimationFrame(() => {
      this.olderScheduled = false;
      const { scrollTop, clientHeight } = this.container;
      if (clientHeight > 0 && scrollTop < LOAD_OLDER_MARGIN_PX) {
        this.renderOlder();
        this.scheduleOlderIfNearTop();
      }
    });
  }

  private updateOlderButton(): void {
    this.olderButton.hidden = this.start === 0;
    this.olderButton.textContent = `Show older messages (${this.start} more)`;
  }

  private afterChange(stickToBottom: boolean): void {
    if (stickToBottom) {
      this.container.scrollTop = this.container.scrollHeight;
    }
    this.flushReveal();
    this.scheduleOlderIfNearTop();
  }

  private flushReveal(): void {
    const index = this.pendingReveal === undefined ? -1 : this.indexOf(this.pendingReveal);
    if (index === -1) {
      return;
    }
    this.pendingReveal = undefined;
    if (index < this.start) {
      this.renderOlder(index);
    }
    const target = this.rendered.get(this.messages[index].id);
    if (target) {
      this.highlight.show(target);
      target.scrollIntoView({ block: 'center' });
    }
  }

  /** From the newest down: the message a stream updates is almost always the last. */
  private indexOf(id: string): number {
    for (let index = this.messages.length - 1; index >= 0; index--) {
      if (this.messages[index].id === id) {
        return index;
      }
    }
    return -1;
  }

  private isNearBottom(): boolean {
    const { scrollTop, scrollHeight, clientHeight } = this.container;
    return scrollHeight - scrollTop - clientHeight < NEAR_BOTTOM_PX;
  }
}

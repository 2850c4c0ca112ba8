// The highlight on a message that search (or a link) opened: shown at once, faded by chat.css, and removed
// when the fade ends, so only the message the user asked for is ever marked, and only briefly.

/** As long as the `reveal-highlight` animation in media/chat/chat.css. */
const HIGHLIGHT_MS = 3000;
const CLASS = 'highlight';

export class RevealHighlight {
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly container: HTMLElement) {}

  show(element: HTMLElement): void {
    this.clear();
    element.classList.add(CLASS);
    this.timer = setTimeout(() => this.clear(), HIGHLIGHT_MS);
  }

  /** A message re-rendered mid-fade (a refresh) keeps its highlight. */
  carryOver(from: HTMLElement | undefined, to: HTMLElement): void {
    if (from?.classList.contains(CLASS)) {
      to.classList.add(CLASS);
    }
  }

  highlightedId(): string {
    return this.container.querySelector<HTMLElement>(`article.${CLASS}`)?.dataset.id ?? '';
  }

  private clear(): void {
    clearTimeout(this.timer);
    this.container.querySelectorAll(`article.${CLASS}`).forEach((element) => element.classList.remove(CLASS));
  }
}

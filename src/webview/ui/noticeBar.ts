import { Notice } from '../shared/protocol';

/** The notice above the messages, and its Retry button when the notice offers one. */
export class NoticeBar {
  constructor(
    private readonly notice: HTMLElement,
    private readonly retry: HTMLButtonElement,
    onRetry: () => void,
  ) {
    retry.addEventListener('click', () => {
      // One click, one retry: the button comes back with the next notice that offers it.
      retry.hidden = true;
      onRetry();
    });
  }

  show(notice: Notice | undefined): void {
    this.notice.hidden = notice === undefined;
    this.notice.className = `notice ${notice?.kind ?? ''}`;
    this.notice.textContent = notice?.text ?? '';
    this.retry.hidden = notice?.retry !== true;
  }

  get text(): string {
    return this.notice.hidden ? '' : (this.notice.textContent ?? '');
  }

  get retryShown(): boolean {
    return !this.retry.hidden;
  }
}

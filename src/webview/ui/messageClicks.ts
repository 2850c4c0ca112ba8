import { isSafeLink } from '../shared/links';
import { FromWebview } from '../shared/protocol';

type Post = (message: FromWebview) => void;

const COPIED_FEEDBACK_MS = 1500;

/** Links and copy buttons inside rendered messages, handled by delegation (no inline handlers). */
export function handleMessageClicks(element: HTMLElement, post: Post): void {
  element.addEventListener('click', (event) => onMessagesClick(event, post));
  element.addEventListener('auxclick', (event) => onMessagesClick(event, post));
}

function onMessagesClick(event: MouseEvent, post: Post): void {
  const target = event.target instanceof Element ? event.target : undefined;
  const link = target?.closest('a');
  if (link) {
    // Never let the webview navigate: the extension validates and opens the link.
    event.preventDefault();
    openLink(link.getAttribute('href') ?? '', event.type === 'click', post);
    return;
  }
  const copy = target?.closest<HTMLButtonElement>('button.copy-code');
  if (copy && event.type === 'click') {
    copyCode(copy, post);
  }
}

function openLink(href: string, primaryClick: boolean, post: Post): void {
  if (primaryClick && isSafeLink(href)) {
    post({ type: 'openLink', href });
  }
}

function copyCode(button: HTMLButtonElement, post: Post): void {
  post({ type: 'copy', text: button.closest('.code-block')?.querySelector('pre')?.textContent ?? '' });
  // Said on the button itself (its accessible name too), so a screen reader hears it where the focus is.
  button.textContent = 'Copied';
  button.setAttribute('aria-label', 'Copied');
  setTimeout(() => {
    button.textContent = 'Copy';
    button.setAttribute('aria-label', 'Copy code');
  }, COPIED_FEEDBACK_MS);
}

// The chat tab's inline bootstrap, the one script the page runs before chat.js. A webview's files come
// through VS Code's resource service worker; when a page races that worker (code-server gives every webview
// one origin, so each new webview re-registers the shared worker), its requests go to the real network
// instead and fail with status 0, leaving a dead tab. This script notices that chat.css or chat.js did not
// load (or chat.js did not start in time) and asks the extension for a fresh page; it also owns the
// webview API handle (it may be acquired once per page), which chat.js takes over.
import { ChatRefState } from '../../webview/shared/protocol';

/** How long chat.js may take to start before the page counts as dead (a loaded machine is slow, not dead). */
export const SCRIPT_START_TIMEOUT_MS = 10_000;

/** Element ids and attributes the bootstrap, the HTML and chat.js share. */
export const LOAD_MARKERS = {
  style: 'chat-style',
  retrying: 'load-retrying',
  failed: 'load-failed',
  /** Set on <html> by chat.js once it runs. */
  started: 'data-chat-started',
  /** Set on <html> by the extension: the 1-based load attempt, and whether it is the last one. */
  attempt: 'data-load-attempt',
  lastAttempt: 'data-last-attempt',
} as const;

/**
 * The bootstrap's source, inlined in a nonce'd script element (so the strict CSP stays as it is). `ref` is
 * the tab's session: the page records it as its state at once, so a window reloaded while the page is still
 * loading (or dead, or between two loads) restores the tab; chat.js replaces that provisional state.
 */
export function loadWatchdogScript(ref: ChatRefState, timeoutMs = SCRIPT_START_TIMEOUT_MS): string {
  const ids = JSON.stringify(LOAD_MARKERS);
  // `<` escaped: nothing in the ref can end the script element early.
  const session = JSON.stringify({ folder: ref.folder, sessionId: ref.sessionId }).replace(/</g, '\\u003c');
  return `(() => {
  const ids = ${ids};
  const root = document.documentElement;
  const api = acquireVsCodeApi();
  Object.defineProperty(window, 'multichatVsCodeApi', { value: api });
  const ref = ${session};
  const saved = api.getState();
  if (!saved || !saved.ref || saved.ref.folder !== ref.folder || saved.ref.sessionId !== ref.sessionId) {
    api.setState({ ref, draft: '', provisional: true });
  }
  let reported = false;
  const started = () => root.hasAttribute(ids.started);
  const fail = (missing) => {
    if (reported) { return; }
    reported = true;
    api.postMessage({ type: 'loadFailed', missing, attempt: Number(root.getAttribute(ids.attempt)) || 1 });
    const shown = document.getElementById(root.getAttribute(ids.lastAttempt) === 'true' ? ids.failed : ids.retrying);
    if (shown) { shown.hidden = false; }
  };
  // Resource load and error events do not bubble, but the document sees them in the capture phase (load
  // events never reach the window); this script runs before the stylesheet and chat.js elements are
  // parsed, so it sees both outcomes.
  let styled = false;
  const isStyle = (target) => target instanceof HTMLLinkElement && target.id === ids.style;
  document.addEventListener('load', (event) => { if (isStyle(event.target)) { styled = true; } }, true);
  document.addEventListener('error', (event) => {
    if (isStyle(event.target)) { fail('style'); }
    if (event.target instanceof HTMLScriptElement && event.target.src) { fail('script'); }
  }, true);
  setTimeout(() => { if (!started()) { fail('script'); } }, ${Math.round(timeoutMs)});
  window.addEventListener('load', (event) => {
    if (event.target !== document) { return; }
    if (!styled) { fail('style'); } else if (!started()) { fail('script'); }
  });
})();`;
}

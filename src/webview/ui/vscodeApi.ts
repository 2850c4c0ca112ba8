import { ChatWebviewState, FromWebview } from '../shared/protocol';

/** The API VS Code injects into webviews; it may be acquired only once per page. */
export interface VsCodeApi {
  postMessage(message: FromWebview): void;
  getState(): ChatWebviewState | undefined;
  setState(state: ChatWebviewState): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

declare global {
  interface Window {
    /** Acquired by the page's inline load watchdog (src/extension/chat/loadWatchdog.ts), which runs first. */
    multichatVsCodeApi?: VsCodeApi;
  }
}

export function getVsCodeApi(): VsCodeApi {
  return window.multichatVsCodeApi ?? acquireVsCodeApi();
}

/** Tells the load watchdog that the script runs: the page is not dead. */
export function markScriptStarted(): void {
  document.documentElement.setAttribute('data-chat-started', '');
}

import { ChatWebviewState, FromWebview } from '../shared/protocol';

/** The API VS Code injects into webviews; it may be acquired only once. */
export interface VsCodeApi {
  postMessage(message: FromWebview): void;
  getState(): ChatWebviewState | undefined;
  setState(state: ChatWebviewState): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

export function getVsCodeApi(): VsCodeApi {
  return acquireVsCodeApi();
}
